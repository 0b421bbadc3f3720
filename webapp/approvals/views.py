"""Approval screen (one tap from the push), decisions, my approvals, the risk queue, "away, delegate to X".

Thin: webapp.approvals.services / holds / delegation do the work inside webapp.orders.txn.run, so
refusals roll back and are recorded like every other order write.
"""
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.access.policy import policy_for, require
from webapp.approvals import delegation, holds, inbox, riskchecks, services
from webapp.approvals.state import approval_state
from webapp.auth.models import User
from webapp.core.origin import request_via
from webapp.core.render import render_screen, wants_json
from webapp.core.timefmt import parse_day
from webapp.extensions import db
from webapp.orders import services as orders
from webapp.orders import txn
from webapp.orders.errors import NotFound, OrderError
from webapp.orders.models import Order
from webapp.orders.serialize import order_view

bp = Blueprint("approvals", __name__)


def _screen(order_no: str, error=None, status: int = 200):
    order = orders.load(order_no, current_user)
    policy = policy_for(current_user)
    view = order_view(order, policy)
    margin = None
    if policy.can_read("profit") and policy.can_read("total_amount") and order.total_amount:
        margin = (order.profit / order.total_amount * 100).quantize(Decimal("0.1"))
    return render_screen("pages/approvals/decide.html", status=status, order=view, state=approval_state(order),
                         margin=margin, error=error)


@bp.get("/orders/<order_no>/approval")
@login_required
def screen(order_no):
    """The approver's phone screen: summary, the rule that triggered, margin if readable, 批准 / 驳回."""
    return _screen(order_no)


@bp.post("/orders/<order_no>/approval")
@login_required
def decide(order_no):
    """Record a decision (form: decision approve|reject, reason to reject, version); 4xx with the reason."""
    form, via = request.form, request_via()
    decision = form.get("decision", "")
    try:
        txn.run(lambda: services.decide(order_no, decision, actor=current_user, version=form.get("version"),
                                        reason=form.get("reason", ""), via=via), actor=current_user, via=via)
    except OrderError as exc:
        if wants_json() or isinstance(exc, NotFound):
            raise
        message = exc.message if not getattr(exc, "errors", None) else next(iter(exc.errors.values()))
        return _screen(order_no, error=message, status=exc.status)
    flash(_("Approved.") if decision == "approve" else _("Rejected; the order went back to the salesperson."),
          "success")
    return redirect(url_for("orders.show", order_no=order_no), 303)


@bp.get("/approvals")
@login_required
def mine():
    """The approvals waiting for me (待我审批), oldest first, each one tap from its approve screen."""
    rows = [(r, db.session.get(Order, r.order_id)) for r in inbox.waiting_for(current_user)]
    return render_screen("pages/approvals/mine.html", rows=rows)


@bp.get("/risk")
@login_required
def risk_queue():
    """The risk-review queue: orders held by the risk rules, oldest first."""
    require("risk_review")
    policy = policy_for(current_user)
    rows = [h for h in holds.queue() if policy.can_see(h.order)]
    return render_screen("pages/approvals/risk.html", rows=rows, label=holds.label)


@bp.post("/risk/<int:hold_id>")
@login_required
def risk_resolve(hold_id):
    """Clear a hold with a note (outcome=clear) or cancel its order with a reason (outcome=cancel)."""
    require("risk_review")
    via, outcome = request_via(), request.form.get("outcome", "")
    if outcome not in ("clear", "cancel"):
        abort(400)
    try:
        txn.run(lambda: holds.resolve(hold_id, outcome, actor=current_user, note=request.form.get("note", ""),
                                      via=via), actor=current_user, via=via)
    except OrderError as exc:
        if wants_json():
            raise
        flash(exc.message if not getattr(exc, "errors", None) else next(iter(exc.errors.values())), "error")
        return redirect(url_for("approvals.risk_queue"), 303)
    flash(_("Hold cleared.") if outcome == "clear" else _("Order cancelled."), "success")
    return redirect(url_for("approvals.risk_queue"), 303)


@bp.route("/risk/blocked", methods=["GET", "POST"])
@login_required
def blocked():
    """The phone blocklist (a risk rule kept as data): add a phone with a reason; orders from it are held."""
    require("risk_review")
    error = None
    if request.method == "POST":
        try:
            riskchecks.block(request.form.get("phone", ""), request.form.get("reason", ""), actor=current_user,
                             via=request_via())
            db.session.commit()
            flash(_("Phone blocked: its new orders will be held for review."), "success")
            return redirect(url_for("approvals.blocked"), 303)
        except riskchecks.BlocklistError as exc:
            db.session.rollback()
            error = str(exc)
    return render_screen("pages/approvals/blocked.html", rows=riskchecks.blocklist(), error=error,
                         status=422 if error else 200)


@bp.post("/risk/blocked/<int:row_id>/remove")
@login_required
def unblock(row_id):
    """Take a phone off the blocklist (audited)."""
    require("risk_review")
    try:
        riskchecks.unblock(row_id, actor=current_user, via=request_via())
        db.session.commit()
        flash(_("Phone taken off the blocklist."), "success")
    except riskchecks.BlocklistError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("approvals.blocked"), 303)


def _local_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["ORDERHUB_TZ"])


def _day(value: str, end: bool = False) -> datetime:
    """Return the start of a local day (or of the day after, for an inclusive end date)."""
    day = parse_day(value)
    return datetime.combine(day + timedelta(days=1) if end else day, time(0), tzinfo=_local_tz())


@bp.route("/approvals/away", methods=["GET", "POST"])
@login_required
def away():
    """"Away from … to …, delegate to X": while away, X decides the levels you hold."""
    if not delegation.may_approve(current_user):
        abort(403)
    error = None
    if request.method == "POST":
        to_user = db.session.scalar(select(User).where(User.username == request.form.get("delegate", "").strip()))
        try:
            starts, ends = _day(request.form.get("starts", "")), _day(request.form.get("ends", ""), end=True)
            delegation.delegate(current_user, to_user, starts, ends, actor=current_user, via=request_via())
            db.session.commit()
            flash(_("Delegation saved."), "success")
            return redirect(url_for("approvals.away"), 303)
        except ValueError as exc:
            db.session.rollback()
            error = str(exc) if isinstance(exc, delegation.DelegationError) else _("Enter both dates.")
    rows = delegation.upcoming(current_user, datetime.now(_local_tz()))
    return render_screen("pages/approvals/away.html", rows=rows, error=error, status=422 if error else 200)
