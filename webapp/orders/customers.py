"""Customer look-up for the order form: only customers of orders the user may see, a few per minute.

The look-up fills a name and address from a phone number, so it obeys the board's row scope
(Policy.scope_filter) and a per-user limit: phone numbers cannot be probed for other people's customers.
"""
from flask import current_app
from sqlalchemy import select

from webapp.core.ratewindow import seconds_to_wait
from webapp.extensions import db
from webapp.orders.models import Customer, CustomerLookupWindow, Order
from webapp.orders.phones import normalize_phone

DEFAULT_LIMIT = 30  # look-ups per user per minute; app.config["CUSTOMER_LOOKUP_LIMIT"] overrides (0: none)
REDIS_KEY = "orderhub:customer-lookup:{user}"


def visible_customer(raw_phone: str, policy) -> Customer | None:
    """Return the customer with this phone (any format) if one of their live orders is inside the policy's scope."""
    try:
        phone = normalize_phone(raw_phone)
    except ValueError:
        return None
    if not policy.can_read("customer_phone"):
        return None  # a look-up by a field one may not read would reveal it
    seen = policy.scope_filter(select(Order.id).where(Order.customer_id == Customer.id,
                                                      Order.deleted_at.is_(None)), Order)
    return db.session.scalar(select(Customer).where(Customer.phone == phone, seen.exists()))


def wait_seconds(user_id: int, now: float | None = None) -> int | None:
    """Count one look-up of a user; return the seconds to wait when over the limit, else None."""
    return seconds_to_wait(current_app.config.get("CUSTOMER_LOOKUP_LIMIT", DEFAULT_LIMIT),
                           REDIS_KEY.format(user=user_id), CustomerLookupWindow, "user_id", user_id, now)
