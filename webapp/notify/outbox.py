"""The transactional outbox: write messages with the change, claim them atomically, record outcomes.

A message is written in the transaction of the change that causes it (so it exists exactly when
the change does). A worker claims one with a conditional UPDATE (pending, or its lease ran out)
that only one worker can win, delivers outside any transaction, then marks it - but only while it
still holds the claim. Retries back off exponentially; every try is a DeliveryAttempt row.
"""
import json
import os
import socket
import threading
from datetime import datetime, timedelta

from sqlalchemy import event, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify.models import DeliveryAttempt, OutboxMessage

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
KICK = "notify_kick"  # session.info flag: messages were written, wake a worker after commit
_kickers: list = []


def worker_name() -> str:
    """Name this process and thread (host:pid:thread) in claims and attempts."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{threading.get_ident() % 100000}"


def enqueue(key: str, medium: str, topic: str, payload: dict, *, user_id=None, phone=None,
            order_id=None, urgency: str = "normal", ttl: int = 86400) -> int | None:
    """Write a message in the caller's transaction; a key already written is not written twice."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(OutboxMessage).values(
        key=key[:160], medium=medium, topic=topic, payload=json.dumps(payload, ensure_ascii=False),
        user_id=user_id, phone=phone, order_id=order_id, urgency=urgency, ttl=max(int(ttl), 60),
        status="pending", attempts=0, next_attempt_at=utcnow(), last_error="", created_at=utcnow())
    new_id = db.session.execute(stmt.on_conflict_do_nothing(index_elements=["key"])
                                .returning(OutboxMessage.id)).scalar()
    if new_id is not None:
        db.session.info[KICK] = True
    return new_id


def _due(now: datetime):
    return or_(
        (OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == "sending") & (OutboxMessage.lease_until < now),
    )


def claim_next(worker: str, now: datetime | None = None) -> int | None:
    """Claim the oldest due message for `worker` and commit the claim; None when nothing is due."""
    now = now or utcnow()
    for _ in range(10):
        query = select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.id).limit(1)
        if db.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        candidate = db.session.scalar(query)
        if candidate is None:
            db.session.rollback()
            return None
        if claim(candidate, worker, now):
            return candidate
    return None


def claim(message_id: int, worker: str, now: datetime | None = None) -> bool:
    """Take one message if it is still due; exactly one of several racing workers gets True."""
    now = now or utcnow()
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, _due(now))
        .values(status="sending", lease_until=now + LEASE, claimed_by=worker,
                attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def record_attempt(message_id: int, worker: str, outcome: str, *, subscription_id=None,
                   status_code=None, detail: str = "") -> None:
    """Record one try and commit at once, so a crash right after never repeats it."""
    db.session.add(DeliveryAttempt(message_id=message_id, worker=worker, outcome=outcome,
                                   subscription_id=subscription_id, status_code=status_code,
                                   detail=detail[:2000], at=utcnow()))
    db.session.commit()


def backoff(attempts: int) -> timedelta:
    """Wait 10 s, 20 s, 40 s … up to an hour before the next try."""
    return timedelta(seconds=min(10 * 2 ** max(attempts - 1, 0), 3600))


def finish(message_id: int, worker: str, status: str, error: str = "", now: datetime | None = None,
           retry_at: datetime | None = None) -> bool:
    """Close a claimed message as sent/skipped/failed, or put it back as pending (retry) with backoff.

    A medium with its own schedule passes retry_at (and gives up itself by closing as failed).
    """
    now = now or utcnow()
    message = db.session.get(OutboxMessage, message_id)
    values = {"status": status, "lease_until": None, "last_error": error[:2000]}
    if status == "pending" and retry_at is not None:
        values["next_attempt_at"] = retry_at
    elif status == "pending":
        if message.attempts >= MAX_ATTEMPTS:
            values["status"] = "failed"
        else:
            values["next_attempt_at"] = now + backoff(message.attempts)
    elif status in ("sent", "skipped"):
        values["sent_at"] = now
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.status == "sending",
                                    OutboxMessage.claimed_by == worker)
        .values(**values).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def next_due_in(now: datetime | None = None) -> float | None:
    """Return seconds until the next pending retry is due (None when nothing waits)."""
    now = now or utcnow()
    at = db.session.scalar(select(OutboxMessage.next_attempt_at).where(OutboxMessage.status == "pending")
                           .order_by(OutboxMessage.next_attempt_at).limit(1))
    return None if at is None else max((at - now).total_seconds(), 0.0)


def on_commit(fn) -> None:
    """Register fn() to run after a commit that wrote outbox messages (wakes the queue)."""
    if fn not in _kickers:
        _kickers.append(fn)


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    if session.info.pop(KICK, False):
        for fn in _kickers:
            fn()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    session.info.pop(KICK, None)
