"""Two more risk rules: a blocked phone (a list kept as data) and an amount far above the customer's usual.

The usual amount is the median goods value of the customer's (same phone) earlier live orders; it
takes at least UNUSUAL_MIN_HISTORY of them, and the new order must be UNUSUAL_FACTOR times that
and at least UNUSUAL_FLOOR, so small baskets never trip it. The blocklist is edited on /risk/blocked
by roles with risk_review; every addition and removal is audited.
"""
from decimal import Decimal
from statistics import median

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select

from webapp.approvals.models import BlockedPhone
from webapp.audit import services as audit
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.orders.phones import normalize_phone
from webapp.orders.statemachine import goods_value

UNUSUAL_FACTOR, UNUSUAL_MIN_HISTORY, UNUSUAL_FLOOR = Decimal(5), 3, Decimal("1000.00")
HISTORY = 20


class BlocklistError(ValueError):
    """A phone that cannot be added to (or removed from) the blocklist, with the reason."""


def blocked_phone(order) -> str | None:
    """Fire when the order's phone is on the blocklist; the detail is the list's reason."""
    row = db.session.scalar(select(BlockedPhone).where(BlockedPhone.phone == order.customer_phone))
    return (row.reason or order.customer_phone) if row else None


def unusual_amount(order) -> str | None:
    """Fire when the goods value is far above the median of the customer's earlier orders."""
    goods = goods_value(order)
    if goods < UNUSUAL_FLOOR:
        return None
    charged = case((Order.shipping_paid_by == "customer", Order.shipping_fee), else_=0)  # in the total (issue 16)
    earlier = select(Order.total_amount + Order.discount - charged).where(
        Order.customer_phone == order.customer_phone, Order.deleted_at.is_(None), Order.status != "cancelled")
    if order.id is not None:
        earlier = earlier.where(Order.id < order.id)
    past = [Decimal(v or 0) for v in db.session.scalars(earlier.order_by(Order.id.desc()).limit(HISTORY))]
    if len(past) < UNUSUAL_MIN_HISTORY:
        return None
    usual = Decimal(median(past))
    if usual > 0 and goods < usual * UNUSUAL_FACTOR:
        return None
    return f"¥{goods:,.2f} / ¥{usual:,.2f}"


def block(raw_phone: str, reason: str, *, actor, via: str = "web") -> BlockedPhone:
    """Add a phone to the blocklist (a reason is required); audited."""
    reason = (reason or "").strip()
    try:
        phone = normalize_phone(raw_phone)
    except ValueError:
        raise BlocklistError(_l("That is not a valid phone number.")) from None
    if not reason:
        raise BlocklistError(_l("Give a reason for blocking this phone."))
    if db.session.scalar(select(BlockedPhone).where(BlockedPhone.phone == phone)) is not None:
        raise BlocklistError(_l("This phone is already blocked."))
    row = BlockedPhone(phone=phone, reason=reason[:500], created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("risk_block_phone", actor=actor, via=via, field="blocked_phone", new=phone, detail=reason)
    return row


def unblock(row_id: int, *, actor, via: str = "web") -> None:
    """Take a phone off the blocklist (orders already held stay held until reviewed); audited."""
    row = db.session.get(BlockedPhone, row_id)
    if row is None:
        raise BlocklistError(_l("This phone is not blocked."))
    audit.record("risk_unblock_phone", actor=actor, via=via, field="blocked_phone", old=row.phone,
                 detail=row.reason)
    db.session.delete(row)
    db.session.flush()


def blocklist() -> list[BlockedPhone]:
    """Return the blocked phones, newest first."""
    return list(db.session.scalars(select(BlockedPhone).order_by(BlockedPhone.created_at.desc(),
                                                                 BlockedPhone.id.desc())))
