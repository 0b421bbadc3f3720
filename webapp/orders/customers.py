"""Customer look-up for the order form: only customers of orders the user may see, a few per minute.

The look-up fills a name and address from a phone number, so it obeys the board's row scope
(Policy.scope_filter) and a per-user limit: phone numbers cannot be probed for other people's customers.
"""
import logging
import math
import time

import redis
from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from webapp.extensions import db
from webapp.orders.models import Customer, CustomerLookupWindow, Order
from webapp.orders.phones import normalize_phone

log = logging.getLogger(__name__)
WINDOW = 60
DEFAULT_LIMIT = 30  # look-ups per user per minute; app.config["CUSTOMER_LOOKUP_LIMIT"] overrides (0: none)
REDIS_KEY = "orderhub:customer-lookup:{user}:{window}"


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
    limit = current_app.config.get("CUSTOMER_LOOKUP_LIMIT", DEFAULT_LIMIT)
    if not limit:
        return None
    now = time.time() if now is None else now
    window = int(now // WINDOW)
    count, url = None, current_app.config.get("REDIS_URL")
    if url:
        try:
            count = _redis_hit(url, user_id, window)
        except redis.RedisError:  # Redis down: count in the database, look-ups go on
            log.warning("customer look-up limit: Redis unreachable, counting in the database")
    if count is None:
        count = _db_hit(user_id, window)
    return None if count <= limit else max(1, math.ceil((window + 1) * WINDOW - now))


def _redis_hit(url: str, user_id: int, window: int) -> int:
    clients = current_app.extensions.setdefault("lookup_redis", {})
    if url not in clients:
        clients[url] = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    key = REDIS_KEY.format(user=user_id, window=window)
    pipe = clients[url].pipeline()
    pipe.incr(key)
    pipe.expire(key, WINDOW * 2)
    count, _ = pipe.execute()
    return int(count)


def _db_hit(user_id: int, window: int) -> int:
    """Upsert the counter on its own connection (first statement: the write lock at once on SQLite)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    stmt = (dialect.insert(CustomerLookupWindow).values(user_id=user_id, window=window, hits=1)
            .on_conflict_do_update(index_elements=["user_id", "window"], set_={"hits": CustomerLookupWindow.hits + 1})
            .returning(CustomerLookupWindow.hits))
    with db.engine.begin() as conn:
        count = conn.execute(stmt).scalar_one()
        conn.execute(delete(CustomerLookupWindow).where(CustomerLookupWindow.user_id == user_id,
                                                        CustomerLookupWindow.window < window))
    return int(count)
