"""Per-token rate limit, a fixed window of one minute: in Redis when REDIS_URL is set, else in the database.

Both stores are shared by every app process, so the limit holds with several workers. The database
counter is written on its own connection, in a transaction whose first statement is the upsert (on
SQLite that takes the write lock at once instead of upgrading a read).
"""
import logging
import math
import time

import redis
from flask import current_app
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from webapp.api.models import RateWindow
from webapp.extensions import db

log = logging.getLogger(__name__)
WINDOW = 60
REDIS_KEY = "orderhub:api:rate:{prefix}:{window}"  # the prefix is random: no clash between databases


def hit(token_id: int, prefix: str, now: float | None = None) -> int | None:
    """Count one request of a token; return the seconds to wait when it is over the limit, else None."""
    limit = current_app.config["API_RATE_LIMIT"]
    if not limit:
        return None
    now = time.time() if now is None else now
    window = int(now // WINDOW)
    url = current_app.config.get("REDIS_URL")
    count = None
    if url:
        try:
            count = _redis_hit(url, prefix, window)
        except redis.RedisError:  # Redis down: the limit falls back to the database, requests go on
            log.warning("API rate limit: Redis unreachable, counting in the database")
    if count is None:
        count = _db_hit(token_id, window)
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * WINDOW - now))


def _redis_hit(url: str, prefix: str, window: int) -> int:
    clients = current_app.extensions.setdefault("api_redis", {})
    if url not in clients:
        clients[url] = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    key = REDIS_KEY.format(prefix=prefix, window=window)
    pipe = clients[url].pipeline()
    pipe.incr(key)
    pipe.expire(key, WINDOW * 2)
    count, _ = pipe.execute()
    return int(count)


def _db_hit(token_id: int, window: int) -> int:
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    stmt = (dialect.insert(RateWindow).values(token_id=token_id, window=window, hits=1)
            .on_conflict_do_update(index_elements=["token_id", "window"], set_={"hits": RateWindow.hits + 1})
            .returning(RateWindow.hits))
    with db.engine.begin() as conn:
        count = conn.execute(stmt).scalar_one()
        conn.execute(delete(RateWindow).where(RateWindow.token_id == token_id, RateWindow.window < window))
    return int(count)
