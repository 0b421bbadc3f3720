"""`/readyz`: may this instance take traffic? Database reachable, migrations at head, photo store
writable, Redis answering when configured; 503 with the failing checks otherwise."""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from webapp.core import storage
from webapp.extensions import db
from webapp.ops.backup import head_revisions

bp = Blueprint("ops_ready", __name__)


def _database() -> tuple[str, str]:
    """Check the database answers and is migrated to this code's head."""
    try:
        current = {r[0] for r in db.session.execute(text("SELECT version_num FROM alembic_version"))}
    except Exception as exc:  # unreachable, or never migrated: not ready either way
        db.session.rollback()
        return "unreachable", type(exc).__name__
    finally:
        db.session.rollback()
    heads = set(head_revisions(current_app._get_current_object()))
    if current != heads:
        return "ok", f"at {', '.join(sorted(current)) or 'none'}, code expects {', '.join(sorted(heads))}"
    return "ok", "ok"


def _store() -> str:
    """Check a photo can be written to the store."""
    try:
        storage.store().check()
    except Exception as exc:  # any failure of the store means photos cannot be taken
        return f"error: {type(exc).__name__}"
    return "ok"


def _redis() -> str | None:
    """Check Redis answers a PING when configured (None when it is not)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    import redis
    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # down, refused, timed out: not ready
        return f"error: {type(exc).__name__}"
    return "ok"


@bp.get("/readyz")
def readyz():
    """Answer 200 when every dependency is ready, else 503 naming what is not."""
    database, migrations = _database()
    checks = {"db": database, "migrations": migrations if database == "ok" else "unknown", "store": _store()}
    redis_state = _redis()
    if redis_state is not None:
        checks["redis"] = redis_state
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "not_ready", checks=checks), 200 if ready else 503
