"""Notify rules: queue the right messages inside every order change, manage users' push devices.

Importing this module registers the order-event handler (webapp.orders.hooks), so every
notification is written to the outbox in the same transaction as the change that causes it.
"""
import uuid

from flask import current_app
from sqlalchemy import delete, exists, select

from webapp.core import outbound
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import outbox, sms
from webapp.notify.models import PushSubscription
from webapp.notify.routing import payload_for, push_recipients
from webapp.orders.hooks import OrderEvent
from webapp.tracking import services as tracking


class SubscriptionError(ValueError):
    """A push subscription that cannot be stored, with the reason."""


def has_devices(user) -> bool:
    """Say whether the user has at least one push subscription."""
    return bool(db.session.scalar(select(exists().where(PushSubscription.user_id == user.id))))


def notify_user(user, order, topic: str, key: str, urgency: str = "normal", **extra) -> int | None:
    """Queue a push for a user who has devices and may see the order (payload filtered by policy)."""
    if not has_devices(user):
        return None
    payload = payload_for(user, order, topic, **extra)
    if payload is None:
        return None
    ttl = current_app.config["PUSH_TTL"]
    return outbox.enqueue(key, "push", topic, payload, user_id=user.id, order_id=order.id,
                          urgency=urgency, ttl=ttl)


def on_order_change(event: OrderEvent) -> None:
    """Queue push notifications (and, at hand-over, the customer's SMS) for an order change, in its transaction."""
    order = event.order
    stamp = uuid.uuid4().hex[:12]
    for user, topic, urgency in push_recipients(event).values():
        notify_user(user, order, topic, f"{topic}:{order.id}:{stamp}:{user.id}", urgency)
    if event.kind == "transition" and event.to_state == "in_transit":  # hand-over: the tracking number exists
        queue_outbound_sms(order)


def queue_outbound_sms(order) -> int | None:
    """Queue the customer's SMS with the tracking link (once per order)."""
    if not order.customer_phone:
        return None
    text = sms.outbound_text(order, tracking.link_for(order))
    return outbox.enqueue(f"sms:outbound:{order.id}", "sms", "outbound_sms", {"text": text},
                          phone=order.customer_phone, order_id=order.id, ttl=86400)


def _check_endpoint(endpoint: str) -> None:
    """Refuse an endpoint that is not a known push service over https (or a host in ORDERHUB_OUTBOUND_ALLOW)."""
    if len(endpoint) > 1024:
        raise SubscriptionError("endpoint is too long")
    try:
        outbound.check_url(endpoint, push=True)
    except outbound.Refused as exc:
        raise SubscriptionError(str(exc)) from None


def subscribe(user, data: dict, device: str = "") -> PushSubscription:
    """Store (or move to this user) a device's subscription; raise SubscriptionError when malformed."""
    keys = data.get("keys") if isinstance(data, dict) else None
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str) or not isinstance(keys, dict):
        raise SubscriptionError("endpoint and keys are required")
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not (isinstance(p256dh, str) and isinstance(auth, str) and 60 <= len(p256dh) <= 255 and 16 <= len(auth) <= 64):
        raise SubscriptionError("keys.p256dh and keys.auth are required")
    _check_endpoint(endpoint)
    sub = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if sub is None:
        sub = PushSubscription(endpoint=endpoint, created_at=utcnow())
        db.session.add(sub)
    sub.user_id, sub.p256dh, sub.auth, sub.device = user.id, p256dh, auth, (device or "")[:255]
    db.session.flush()
    return sub


def renew(old_endpoint, data: dict) -> PushSubscription | None:
    """Move a rotated subscription to its new endpoint and keys; None when the old one is unknown."""
    if not isinstance(old_endpoint, str):
        raise SubscriptionError("old endpoint is required")
    old = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == old_endpoint))
    if old is None:
        return None
    user, device = old.user, old.device
    db.session.delete(old)
    db.session.flush()
    return subscribe(user, data, device)


def unsubscribe(user, endpoint: str | None = None, sub_id: int | None = None) -> int:
    """Remove one of the user's devices (by endpoint or id); return how many were removed."""
    stmt = delete(PushSubscription).where(PushSubscription.user_id == user.id)
    if endpoint is not None:
        stmt = stmt.where(PushSubscription.endpoint == endpoint)
    elif sub_id is not None:
        stmt = stmt.where(PushSubscription.id == sub_id)
    else:
        return 0
    return db.session.execute(stmt).rowcount


def devices(user) -> list[PushSubscription]:
    """Return the user's devices, newest first."""
    return list(db.session.scalars(select(PushSubscription).where(PushSubscription.user_id == user.id)
                                   .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())))


BROWSERS = (("Edg/", "Edge"), ("MicroMessenger", "WeChat"), ("Firefox", "Firefox"), ("Chrome", "Chrome"),
            ("Safari", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
           ("Mac OS", "Mac"), ("Linux", "Linux"))


def device_label(user_agent: str) -> str:
    """Name a device from its user agent: "Chrome · Android"."""
    ua = user_agent or ""
    browser = next((name for mark, name in BROWSERS if mark in ua), "")
    system = next((name for mark, name in SYSTEMS if mark in ua), "")
    return " · ".join(p for p in (browser, system) if p) or "?"
