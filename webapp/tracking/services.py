"""Signed tracking links: token = order id + a per-order random nonce, signed with SECRET_KEY."""
import hmac
import secrets

from flask import current_app
from itsdangerous import BadSignature, Signer
from sqlalchemy import select

from webapp.core.db import utcnow
from webapp.core.origin import base_url
from webapp.extensions import db
from webapp.orders.models import Order, OrderTransition
from webapp.tracking.models import TrackingLink

SALT = "orderhub.tracking"
PANELS: list = []  # other domains add what they know about an order (courier scans, ETA)


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt=SALT)


def _link_row(order: Order, rotate: bool = False) -> TrackingLink:
    row = db.session.get(TrackingLink, order.id)
    if row is None:
        row = TrackingLink(order_id=order.id, nonce=secrets.token_urlsafe(12), created_at=utcnow())
        db.session.add(row)
    elif rotate or row.revoked_at is not None:
        row.nonce, row.revoked_at, row.created_at = secrets.token_urlsafe(12), None, utcnow()
    db.session.flush()
    return row


def token_for(order: Order, rotate: bool = False) -> str:
    """Return the order's tracking token, creating its nonce on first use (the caller commits)."""
    row = _link_row(order, rotate)
    return _signer().sign(f"{order.id}.{row.nonce}").decode()


def link_for(order: Order) -> str:
    """Return the absolute tracking link of an order."""
    return f"{base_url()}/t/{token_for(order)}"


def revoke(order: Order) -> None:
    """Kill every tracking link of this order (a later token_for() issues a new one)."""
    row = db.session.get(TrackingLink, order.id)
    if row is not None:
        row.revoked_at = utcnow()


def resolve(token: str) -> Order | None:
    """Return the live order a token points to, or None when forged, revoked or deleted."""
    try:
        raw = _signer().unsign(token).decode()
    except (BadSignature, UnicodeDecodeError):
        return None
    order_id, _, nonce = raw.partition(".")
    if not order_id.isdigit():
        return None
    row = db.session.get(TrackingLink, int(order_id))
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.nonce, nonce):
        return None
    order = db.session.get(Order, row.order_id)
    return order if order is not None and order.deleted_at is None else None


def timeline(order: Order) -> list:
    """Return the order's steps, oldest first."""
    return list(db.session.scalars(select(OrderTransition).where(OrderTransition.order_id == order.id)
                                   .order_by(OrderTransition.at, OrderTransition.id)))


def add_panel(fn) -> None:
    """Register fn(order) → dict of extra context for the customer page (from another domain's init_app)."""
    if fn not in PANELS:
        PANELS.append(fn)


def panels(order: Order) -> dict:
    """Return the extra context every registered panel gives for this order."""
    found = {}
    for fn in PANELS:
        found |= fn(order)
    return found


def mask_name(name: str) -> str:
    """Keep the family name: 王小明 → 王**."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""
