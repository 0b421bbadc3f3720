"""Database engine tuning: SQLite pragmas and up-front write locks; helpers shared by models."""
from contextlib import contextmanager
from datetime import datetime, timezone

from flask import current_app, g, has_request_context, request
from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Store aware datetimes as UTC; always hand back aware UTC datetimes (SQLite forgets tz)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def writes_on_get(view):
    """Mark a GET view that writes (e.g. recording a QR scan) so its transaction locks up front."""
    view.writes_on_get = True
    return view


@contextmanager
def read_phase():
    """Mark a transaction of a writing request that only reads and ends inside the block (a token or
    permission check before slow work): it begins without SQLite's write lock, so it does not queue
    behind other writers. The caller must end the transaction (commit or rollback) inside the block."""
    g._orderhub_read_phase = True
    try:
        yield
    finally:
        g._orderhub_read_phase = False


def _wants_write_lock() -> bool:
    """Say whether a new transaction should take SQLite's write lock at once."""
    if has_request_context():
        if g.get("_orderhub_read_phase"):
            return False
        if request.method not in READ_METHODS:
            return True
        view = current_app.view_functions.get(request.endpoint or "")
        return bool(getattr(view, "writes_on_get", False))
    return True  # CLI commands and workers write


def tune_sqlite(engine: Engine) -> None:
    """Turn on WAL, a busy timeout and foreign keys; begin writing transactions IMMEDIATE.

    A deferred transaction that later writes cannot wait for the lock (SQLite answers
    "database is locked" at once), so request transactions that may write take it up front.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")
