"""Write audit entries (in the caller's transaction) and verify the hash chain."""
import json
from contextvars import ContextVar

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from webapp.audit import chain
from webapp.audit.chain import GENESIS, canonical  # noqa: F401 (public names)
from webapp.audit.models import AuditEntry
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.vocab import VIAS

# The device time of the offline action being replayed, set around one request by the offline domain;
# every entry that request writes with via="offline" carries it beside its own (sync) time.
replay_device_time: ContextVar = ContextVar("replay_device_time", default=None)
# The API token behind the current request, set by the api domain: every entry written with via="api"
# names it (token=<prefix>) in its detail.
api_token_prefix: ContextVar = ContextVar("api_token_prefix", default=None)
CHAIN_LOCK = 7_201_126  # PostgreSQL advisory lock id that serialises appends to the chain
_HELD = "audit_chain_held"  # session.info: the transaction that holds CHAIN_LOCK
_HEAD = "audit_chain_head"  # session.info: (transaction, hash of the newest entry it appended)


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    """Return the entry's hash: HMAC-SHA256 with the audit key (plain SHA-256 for scheme-1 entries)."""
    return chain.entry_hash(prev_hash, entry)


def _transaction():
    """The innermost transaction of the session (a savepoint when one is open), or None."""
    session = db.session()
    return session.get_nested_transaction() or session.get_transaction()


def hold_chain() -> None:
    """Take the chain's append lock now, once per transaction (PostgreSQL; SQLite's writing transactions
    are serialised by BEGIN IMMEDIATE already).

    A writer that takes rows other writers take too (the order counters, the day's order number) must
    call this first: the lock is then always the first one such a writer holds, so an append that waits
    for it never holds a row a lock holder waits for. Taking it only at the first entry, after those
    rows, deadlocked under load (PostgreSQL aborted one of the two: the drill's 503s).
    """
    if db.engine.dialect.name != "postgresql":
        return
    held = db.session.info.get(_HELD)
    if held is not None and held is _transaction():  # per savepoint: one rolled back releases its locks
        return
    db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})
    db.session.info[_HELD] = _transaction()


def _last_hash() -> str:
    hold_chain()
    head = db.session.info.get(_HEAD)
    if head is not None and head[0] is _transaction():  # this transaction appended the newest entry
        return head[1]
    last = db.session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    return last or GENESIS


def as_text(value) -> str | None:
    """Render a value as the audit log stores it."""
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).isoformat()  # the log keeps instants in UTC
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return str(value)


def record(action: str, *, actor=None, via: str = "system", order_no=None, field=None, old=None, new=None,
           detail: str = "", device_at=None) -> AuditEntry:
    """Append one entry to the chain inside the current transaction (the caller commits)."""
    if via not in VIAS:
        raise ValueError(f"unknown write path (via) {via!r}")
    token = api_token_prefix.get() if via == "api" else None
    if token:
        detail = f"token={token}" + (f"; {detail}" if detail else "")
    entry = AuditEntry(
        at=utcnow(),
        actor_id=getattr(actor, "id", None), actor=getattr(actor, "username", None) or "system",
        via=via, action=action, order_no=order_no, field=field, old=as_text(old), new=as_text(new),
        detail=detail, device_at=device_at or (replay_device_time.get() if via == "offline" else None))
    entry.scheme = chain.KEYED
    entry.prev_hash = _last_hash()
    entry.hash = entry_hash(entry.prev_hash, entry)
    db.session.add(entry)
    db.session.flush()
    db.session.info[_HEAD] = (_transaction(), entry.hash)  # the next entry of this transaction links here
    return entry


def verify() -> AuditEntry | None:
    """Walk the chain (and check it against the checkpoints); return the first broken entry, else None.

    A cut after the last entry has no broken entry: use webapp.audit.verify.check() for the whole finding.
    """
    from webapp.audit.verify import check
    finding = check().finding
    return finding.entry if finding else None


def as_dict(entry: AuditEntry) -> dict:
    """Return an entry as the export shows it (the contract's keys first)."""
    return {"at": entry.at.isoformat(), "actor": entry.actor, "via": entry.via, "order_no": entry.order_no,
            "field": entry.field, "old": entry.old, "new": entry.new, "action": entry.action,
            "detail": entry.detail, "id": entry.id, "hash": entry.hash}


def export_lines(order_no: str | None = None):
    """Yield the log (or one order's entries) as JSON lines, oldest first."""
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if order_no:
        stmt = stmt.where(AuditEntry.order_no == order_no)
    for entry in db.session.scalars(stmt).yield_per(1000):
        yield json.dumps(as_dict(entry), ensure_ascii=False)


def search(*, actor=None, order_no=None, action=None, via=None, day_from=None, day_to=None,
           before_id=None, limit: int = 50, tz: str = "Asia/Shanghai") -> list[AuditEntry]:
    """Return entries matching the filters, newest first, `limit` at most, older than `before_id`."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor:
        stmt = stmt.where(AuditEntry.actor == actor.strip().lower())
    if order_no:
        stmt = stmt.where(AuditEntry.order_no == order_no.strip().upper())
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if via:
        stmt = stmt.where(AuditEntry.via == via)
    zone = ZoneInfo(tz)
    if day_from:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(day_from, time(), zone))
    if day_to:
        stmt = stmt.where(AuditEntry.at < datetime.combine(day_to + timedelta(days=1), time(), zone))
    if before_id:
        stmt = stmt.where(AuditEntry.id < before_id)
    return list(db.session.scalars(stmt))


def actions() -> list[str]:
    """Return every action name found in the log (for the filter list)."""
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
