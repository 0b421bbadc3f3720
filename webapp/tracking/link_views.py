"""The order page's tracking-link panel: see whether the link is live, revoke it, issue a new one (audited).

Who may: holders of the `sms_log` matrix action (they see the texts that carry the links) for orders inside
their row scope. A revoked or forged link shows the customer a friendly "link no longer valid" page (404).
"""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.access.policy import policy_for
from webapp.audit.services import record
from webapp.core.errors import error_response
from webapp.core.origin import request_via
from webapp.core.render import render_screen
from webapp.extensions import db
from webapp.orders import services as orders
from webapp.tracking import services
from webapp.tracking.models import TrackingLink
from webapp.tracking.views import bp

ACTION = "sms_log"


def _order(order_no: str):
    """Return the order if the user may manage its tracking link (scope and matrix), else 403/404."""
    if not policy_for(current_user).can(ACTION):
        abort(403)
    return orders.load(order_no, current_user)


@bp.get("/orders/<order_no>/tracking-link")
@login_required
def link_panel(order_no):
    """Show the link's state with the revoke / new-link buttons; htmx partial (page when opened directly)."""
    order = _order(order_no)
    row = db.session.get(TrackingLink, order.id)
    return render_screen("partials/tracking/_link_panel.html", order_no=order.order_no, row=row)


@bp.post("/orders/<order_no>/tracking-link/revoke")
@login_required
def revoke_link(order_no):
    """Kill every tracking link of the order handed out so far."""
    order = _order(order_no)
    services.revoke(order)
    record("tracking_revoked", actor=current_user, via=request_via(), order_no=order.order_no, field="tracking_link")
    db.session.commit()
    flash(_("The tracking link no longer works. Issue a new one to send the customer."), "success")
    return redirect(url_for("orders.show", order_no=order.order_no), 303)


@bp.post("/orders/<order_no>/tracking-link/new")
@login_required
def new_link(order_no):
    """Issue a new tracking link (the old one stops working) and show it once on the order page."""
    order = _order(order_no)
    services.token_for(order, rotate=True)
    link = services.link_for(order)  # the fresh nonce: every earlier link is dead
    record("tracking_issued", actor=current_user, via=request_via(), order_no=order.order_no, field="tracking_link")
    db.session.commit()
    flash(_("New tracking link: %(link)s", link=link), "success")
    return redirect(url_for("orders.show", order_no=order.order_no), 303)


@bp.errorhandler(404)
def link_gone(_exc):
    """Tell a customer whose link was revoked (or mistyped) that it no longer works; staff get the usual 404."""
    if request.path.startswith("/t/"):
        resp = make_response(render_template("pages/tracking/gone.html"), 404)
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["X-Robots-Tag"] = "noindex, nofollow"
        return resp
    return error_response(404)
