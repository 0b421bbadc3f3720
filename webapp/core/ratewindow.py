"""Fixed one-minute counters shared by every app process: in Redis when REDIS_URL is set (in the
database while Redis is unreachable, so requests go on and stay limited), else in a table of
(owner, window, hits). The database counter is written on its own connection, in a transaction whose
first statement is the upsert (on SQLite that takes the write lock at once instead of upgrading a read).
"""
import logging
import math
import time

import redis
from flask import current_app
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from webapp.extensions import db

log = logging.getLogger(__name__)
WINDOW = 60


def seconds_to_wait(limit: int, redis_key: str, model, owner: str, owner_id: int,
                    now: float | None = None) -> int | None:
    """Count one hit of an owner; return the seconds to wait when over `limit` this minute, else None.

    `redis_key` names the owner in Redis (the window is appended); `model` is the table with columns
    `owner`, `window` and `hits` used without Redis."""
    if not limit:
        return None
    now = time.time() if now is None else now
    window = int(now // WINDOW)
    count, url = None, current_app.config.get("REDIS_URL")
    if url:
        try:
            count = _redis_hit(url, f"{redis_key}:{window}")
        except redis.RedisError:
            log.warning("rate limit %s: Redis unreachable, counting in the database", model.__tablename__)
    if count is None:
        count = _db_hit(model, owner, owner_id, window)
    return None if count <= limit else max(1, math.ceil((window + 1) * WINDOW - now))


def _redis_hit(url: str, key: str) -> int:
    clients = current_app.extensions.setdefault("rate_redis", {})
    if url not in clients:
        clients[url] = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    pipe = clients[url].pipeline()
    pipe.incr(key)
    pipe.expire(key, WINDOW * 2)
    count, _ = pipe.execute()
    return int(count)


def _db_hit(model, owner: str, owner_id: int, window: int) -> int:
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    column = getattr(model, owner)
    stmt = (dialect.insert(model).values({owner: owner_id, "window": window, "hits": 1})
            .on_conflict_do_update(index_elements=[owner, "window"], set_={"hits": model.hits + 1})
            .returning(model.hits))
    with db.engine.begin() as conn:
        count = conn.execute(stmt).scalar_one()
        conn.execute(delete(model).where(column == owner_id, model.window < window))
    return int(count)
