"""The customer tracking link on the order page: one panel (inside the parcel panel) and its manage actions.

Each action is shown only to who may use it, for orders inside their row scope:
- copy the live link and re-send it by SMS: roles that talk to customers (`inquiries`, reading the phone);
- revoke the link and issue a new one (audited): holders of `sms_log` (they see the texts carrying links).
A revoked or forged link shows the customer a friendly "link no longer valid" page (404).
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
SENT_FROM = ("outbound", "in_transit", "completed")  # the parcel left: its link may be sent (again)


def may_copy(policy) -> bool:
    """Say whether the user may see, copy and re-send the customer's link (they talk to customers)."""
    return policy.can("inquiries") and policy.can_read("customer_phone")


def link_context(order, policy) -> dict:
    """Return what the tracking-link panel shows this user: the link's state and only the actions they may use."""
    copy, manage = may_copy(policy), policy.can(ACTION)
    row = db.session.get(TrackingLink, order.id) if copy or manage else None
    live = row is not None and row.revoked_at is None  # looking never issues (or revives) a link
    return {"order_no": order.order_no, "link_row": row, "may_copy": copy, "may_manage": manage,
            "link": services.link_for(order) if live and copy else "",
            "may_resend": copy and bool(order.customer_phone) and sendable(order, row)}


def sendable(order, row=None) -> bool:
    """Say whether the link may go to the customer: one went out already, or the parcel is on its way."""
    return row is not None or order.status in SENT_FROM or bool(order.tracking_no)


def _order(order_no: str):
    """Return the order if the user may manage its tracking link (scope and matrix), else 403/404."""
    if not policy_for(current_user).can(ACTION):
        abort(403)
    return orders.load(order_no, current_user)


@bp.get("/orders/<order_no>/tracking-link")
@login_required
def link_panel(order_no):
    """Show the link panel alone (the order page shows it inside the parcel panel); 403 for who may do nothing."""
    order = orders.load(order_no, current_user)
    context = link_context(order, policy_for(current_user))
    if not (context["may_copy"] or context["may_manage"]):
        abort(403)
    return render_screen("partials/tracking/_link_panel.html", **context)


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
