"""The outbox's "webhook" channel: send one event, signed, in order per order and endpoint, for up to 24 h.

The outbox claims a message for one worker; this sends it once per claim. An event whose earlier
event for the same order and endpoint is still pending waits (no request, no attempt counted) until
that one was delivered or given up. Failures retry with the outbox's exponential backoff (10 s,
20 s, … capped at an hour) until 24 h after the change; then the event is failed.
"""
import json
from datetime import datetime, timedelta

from cryptography.fernet import InvalidToken
from sqlalchemy import select

from webapp.config import setting
from webapp.core import outbound
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import outbox
from webapp.notify.models import OutboxMessage
from webapp.webhooks import events, health, keys
from webapp.webhooks.models import WebhookDelivery, WebhookEndpoint

RETRY_FOR = timedelta(hours=24)
IN_FLIGHT_WAIT = timedelta(seconds=0.5)
HEADERS = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "OrderHub-Webhooks/1"}


def claimed_at(message: OutboxMessage) -> datetime:
    """Return when this worker claimed the message (the outbox's clock, which tests may set)."""
    return message.lease_until - outbox.LEASE


def deliver(message: OutboxMessage, worker: str) -> tuple:
    """Send a claimed webhook message; return (status, error[, retry_at]) for outbox.finish()."""
    payload = json.loads(message.payload)
    endpoint = db.session.get(WebhookEndpoint, payload["endpoint"])
    record = db.session.scalar(select(WebhookDelivery).where(WebhookDelivery.message_id == message.id))
    if endpoint is None or not endpoint.active:
        return "skipped", "endpoint disabled"
    now = claimed_at(message)
    wait = blocked_until(record, now)
    if wait is not None:
        return "pending", "waits for an earlier event of this order", wait
    status, ms, detail = send(endpoint, payload, now)
    ok = status is not None and 200 <= status < 300
    record.attempts, record.response_code, record.duration_ms, record.last_attempt_at = \
        record.attempts + 1, status, ms, now
    error = "" if ok else (f"HTTP {status}: {detail}" if status else detail)
    if ok:
        health.succeeded(endpoint)
    else:
        health.failed(endpoint, now, error)
    outbox.record_attempt(message.id, worker, "ok" if ok else "retry", status_code=status,
                          detail=f"{ms} ms; {error}")  # commits the record and the endpoint's health too
    if ok:
        return "sent", ""
    retry_at = now + outbox.backoff(record.attempts)
    if not endpoint.active or retry_at > message.created_at + RETRY_FOR:
        return "failed", error
    return "pending", error, retry_at


def blocked_until(record: WebhookDelivery, now: datetime) -> datetime | None:
    """Return when to look again if an earlier event of the same order for this endpoint is unfinished."""
    if record.order_id is None:
        return None
    earlier = db.session.execute(
        select(OutboxMessage.status, OutboxMessage.next_attempt_at)
        .join(WebhookDelivery, WebhookDelivery.message_id == OutboxMessage.id)
        .where(WebhookDelivery.endpoint_id == record.endpoint_id, WebhookDelivery.order_id == record.order_id,
               WebhookDelivery.message_id < record.message_id, OutboxMessage.status.in_(("pending", "sending")))
        .order_by(OutboxMessage.id).limit(1)).first()
    if earlier is None:
        return None
    status, due = earlier
    return max(due if status == "pending" else now, now) + IN_FLIGHT_WAIT


def send(endpoint: WebhookEndpoint, payload: dict, now: datetime) -> tuple[int | None, int, str]:
    """POST the event, signed with the endpoint's current (and, in rotation, previous) secret."""
    body = events.encode(payload["body"])
    try:
        secrets_ = keys.signing_secrets(endpoint, now)
    except InvalidToken:
        return None, 0, "the signing secret cannot be decrypted (SECRET_KEY changed?): rotate it"
    headers = HEADERS | keys.headers(secrets_, payload["id"], utcnow(), body)
    return outbound.post(endpoint.url, body.encode(), headers, timeout=float(setting("WEBHOOK_TIMEOUT", 10)))
