"""The order page's parcel panel for staff: courier events, the e-waybill, and the customer's tracking link.

Loaded by htmx after the order page (its SQL budget stays as it was). The tracking link is the one
panel of webapp.tracking.link_views (link_context): copying or re-sending the link is for roles that
talk to customers (the `inquiries` area), revoking or issuing a new one for `sms_log` holders. A
re-send is one SMS, at most one every RESEND_GAP per order, queued through the outbox like the
hand-over SMS.
"""
import uuid
from datetime import timedelta

from flask import Blueprint, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.access.policy import policy_for
from webapp.audit import services as audit
from webapp.core.db import utcnow
from webapp.core.errors import AppError
from webapp.core.origin import request_via
from webapp.core.render import is_htmx, render_screen
from webapp.extensions import db
from webapp.notify import outbox, sms
from webapp.notify.models import OutboxMessage
from webapp.orders import services as orders
from webapp.tracking import link_views
from webapp.tracking import services as tracking
from webapp.tracking.models import TrackingLink

from webapp.carriers.tracking import services as parcels
from webapp.carriers.tracking.adapters import STATES
from webapp.carriers.waybills import services as waybills

bp = Blueprint("carrier_order", __name__)
RESEND_GAP = timedelta(minutes=2)


def _context(order, notice: str = "") -> dict:
    policy = policy_for(current_user)
    parcel = parcels.parcel_of(order) if policy.can_read("tracking_no") else None
    return {"parcel": parcel, "scans": parcels.events(parcel) if parcel else [], "state_names": STATES,
            "waybill": waybills.waybill_of(order) if policy.can_read("tracking_no") else None, "notice": notice,
            "in_parcel_panel": True, **link_views.link_context(order, policy)}


@bp.get("/carriers/orders/<order_no>/panel")
@login_required
def panel(order_no):
    """Show the parcel panel of an order the user may see."""
    order = orders.load(order_no, current_user)
    return render_screen("partials/carriers/_order_panel.html", **_context(order))


def _recent_resend(order) -> bool:
    since = utcnow() - RESEND_GAP
    return db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.order_id == order.id, OutboxMessage.key.like(f"sms:resend:{order.id}:%"),
        OutboxMessage.created_at > since).limit(1)) is not None


@bp.post("/carriers/orders/<order_no>/resend-link")
@login_required
def resend(order_no):
    """Queue the tracking-link SMS to the customer again (audited; refused within RESEND_GAP of the last).

    A revoked link is not revived by looking at the panel; sending it on purpose issues a new one.
    """
    order = orders.load(order_no, current_user)
    if not link_views.may_copy(policy_for(current_user)):
        raise AppError(403, _l("Your role may not send tracking links."), "forbidden")
    if not order.customer_phone:
        raise AppError(422, _l("This order has no customer phone number."), "no_phone")
    if not link_views.sendable(order, db.session.get(TrackingLink, order.id)):
        raise AppError(422, _l("The parcel has not left yet: there is no tracking link to send."), "not_shipped")
    if _recent_resend(order):
        raise AppError(429, _l("The link was sent less than 2 minutes ago; please wait before sending it again."),
                       "too_soon")
    text = sms.outbound_text(order, tracking.link_for(order))
    outbox.enqueue(f"sms:resend:{order.id}:{uuid.uuid4().hex[:12]}", "sms", "outbound_sms", {"text": text},
                   phone=order.customer_phone, order_id=order.id, ttl=86400)
    audit.record("tracking_link_resent", actor=current_user, via=request_via(), order_no=order.order_no,
                 field="tracking_link", detail="sms")
    db.session.commit()
    if is_htmx():
        return render_screen("partials/carriers/_order_panel.html", **_context(order, str(_l("Tracking link sent by SMS."))))
    return redirect(url_for("orders.show", order_no=order_no), 303)
