"""Admin console page for outbox messages held after a restore: see them, send them after all, or drop them.

Same guard as the rest of the console: the `admin_console` action to enter, a fresh second verification
(webapp.access.stepup) before a change. Every release or drop is audited with the admin as actor.
"""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp.access import stepup
from webapp.core.errors import AppError
from webapp.core.render import render_screen
from webapp.extensions import db
from webapp.ops import held
from webapp.orders.models import Order

bp = Blueprint("ops_outbox", __name__, url_prefix="/admin/outbox")
bp.before_request(stepup.guard_admin_page)
SHOWN = 200


@bp.get("")
def index():
    """List the held messages, oldest first (the first SHOWN), with their orders."""
    rows = held.messages(SHOWN)
    ids = {m.order_id for m in rows if m.order_id}
    orders = dict(db.session.execute(select(Order.id, Order.order_no).where(Order.id.in_(ids))).all()) if ids else {}
    return render_screen("pages/ops/held.html", rows=rows, orders=orders, total=held.count(),
                         stepup_left=stepup.remaining_seconds(current_user))


def _ids():
    """Return the message ids the form names, or None when it says all; 400 when it names nothing."""
    if request.form.get("all") == "1":
        return None
    try:
        ids = [int(v) for v in request.form.getlist("id")]
    except ValueError:
        ids = []
    if not ids:
        raise AppError(400, _("Choose the messages first."), "nothing_chosen", ["id"])
    return ids


def _change(change, done_message):
    try:
        done = change(_ids(), actor=current_user, via="web")
    except held.NotHeld as exc:
        db.session.rollback()
        raise AppError(409, _("Not held any more (someone decided already): %(ids)s. Nothing changed.",
                              ids=str(exc)), "not_held", ["id"]) from None
    db.session.commit()
    flash(done_message(len(done)), "success")
    return redirect(url_for("ops_outbox.index"), 303)


@bp.post("/release")
def release():
    """Send the chosen held messages after all."""
    return _change(held.release, lambda n: _("%(n)d message(s) will be sent.", n=n))


@bp.post("/drop")
def drop():
    """Never send the chosen held messages."""
    return _change(held.drop, lambda n: _("%(n)d message(s) dropped.", n=n))
