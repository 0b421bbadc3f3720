"""Drain the outbox: claim each due message, hand it to its medium, close it; safe with many workers."""
from datetime import datetime

from webapp.extensions import db
from webapp.notify import outbox, push, sms
from webapp.notify.models import OutboxMessage

MEDIA = {"push": push.deliver, "sms": sms.deliver}


def register_medium(name: str, deliver) -> None:
    """Add a delivery medium from a domain's init_app: deliver(message, worker) → (status, error[, retry_at])."""
    MEDIA[name] = deliver


def deliver_one(message_id: int, worker: str, now: datetime | None = None) -> str:
    """Deliver a message this worker has claimed; return the status it was closed with."""
    message = db.session.get(OutboxMessage, message_id)
    retry_at = None
    try:
        status, error, *schedule = MEDIA[message.medium](message, worker)  # a medium may say when to retry
        retry_at = schedule[0] if schedule else None
    except Exception as exc:  # a bug or outage in one medium must not stop the others
        db.session.rollback()
        status, error = "pending", f"{type(exc).__name__}: {exc}"
    outbox.finish(message_id, worker, status, error, now=now, retry_at=retry_at)
    return status


def drain(limit: int = 1000, now: datetime | None = None) -> int:
    """Deliver due messages until none is left (or `limit`); return how many this worker handled."""
    worker = outbox.worker_name()
    handled = 0
    while handled < limit:
        message_id = outbox.claim_next(worker, now)
        if message_id is None:
            break
        deliver_one(message_id, worker, now)
        handled += 1
    return handled
