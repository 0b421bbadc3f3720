"""Outbox messages held after a restore: list them, release them (send after all) or drop them; audited."""
from sqlalchemy import func, select, update

from webapp.audit import services as audit
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify.models import OutboxMessage
from webapp.ops.restored import HELD


class NotHeld(ValueError):
    """Some of the messages named are not held (or do not exist): nothing was changed."""


def count() -> int:
    """Return how many messages are held."""
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == HELD))


def messages(limit: int | None = None) -> list[OutboxMessage]:
    """Return the held messages, oldest first."""
    query = select(OutboxMessage).where(OutboxMessage.status == HELD).order_by(OutboxMessage.id)
    return list(db.session.scalars(query.limit(limit) if limit else query))


def _pick(ids) -> list[int]:
    """Return the held ids among `ids` (every held one when ids is None); raise NotHeld naming the others."""
    query = select(OutboxMessage.id).where(OutboxMessage.status == HELD).order_by(OutboxMessage.id)
    if ids is not None:  # ids no table holds (0, or past 32 bits) are simply not held
        query = query.where(OutboxMessage.id.in_({i for i in ids if 0 < i < 2 ** 31}))
    found = list(db.session.scalars(query))
    missing = sorted(set(ids or ()) - set(found))
    if missing:
        raise NotHeld(", ".join(map(str, missing)))
    return found


def _close(ids, status: str, action: str, note: str, actor, via: str) -> list[int]:
    picked = _pick(ids)
    if picked:
        values = {"status": status, "last_error": note}
        values |= {"next_attempt_at": utcnow()} if status == "pending" else {"sent_at": utcnow()}
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(picked), OutboxMessage.status == HELD)
                           .values(**values).execution_options(synchronize_session=False))
        audit.record(action, actor=actor, via=via, field="outbox", new=",".join(map(str, picked))[:1000],
                     detail=f"{len(picked)} held message(s)")
    return picked


def release(ids=None, *, actor=None, via: str = "system") -> list[int]:
    """Send held messages after all (the next worker run); ids None: all. The caller commits."""
    return _close(ids, "pending", "outbox_released", "", actor, via)


def drop(ids=None, *, actor=None, via: str = "system") -> list[int]:
    """Never send held messages (kept as skipped, for the record); ids None: all. The caller commits."""
    return _close(ids, "skipped", "outbox_dropped", "dropped after a restore", actor, via)
