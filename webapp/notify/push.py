"""Deliver one push message to each of its recipient's devices with pywebpush (VAPID, TTL, urgency).

Messages go out through webapp.core.outbound: only to known push services (or listed hosts), to the
address that was checked, never to a private one; a device whose endpoint is refused is not retried.
"""
import json

import urllib3
from flask import current_app
from pywebpush import WebPushException, webpush
from sqlalchemy import delete, select

from webapp.core import outbound
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import outbox
from webapp.notify.models import DeliveryAttempt, OutboxMessage, PushSubscription
from webapp.notify.vapid import subject, vapid

GONE = (404, 410)


def send(sub: PushSubscription, message: OutboxMessage) -> int | None:
    """Encrypt and post the message to one device; return the push service's HTTP status.

    Raises outbound.Refused when the endpoint may not be reached (not a push service, a private address).
    """
    data = json.loads(message.payload) | {"id": message.id, "tag": f"orderhub-{message.id}"}
    info = {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}
    headers = {"Urgency": message.urgency, "Topic": f"m{message.id}"}  # Topic collapses a resend
    try:
        resp = webpush(info, json.dumps(data, ensure_ascii=False), vapid_private_key=vapid(current_app),
                       vapid_claims={"sub": subject(current_app)}, ttl=message.ttl, headers=headers,
                       timeout=current_app.config["PUSH_TIMEOUT"], requests_session=outbound.PushSession())
        return resp.status_code
    except WebPushException as exc:
        return exc.response.status_code if exc.response is not None else None
    except urllib3.exceptions.HTTPError:
        return None


def outcome_of(status: int | None) -> str:
    """Classify a push service answer: ok, gone (drop the device), retry, or refused."""
    if status is not None and 200 <= status < 300:
        return "ok"
    if status in GONE:
        return "gone"
    if status is None or status == 429 or status >= 500:
        return "retry"
    return "refused"


def deliver(message: OutboxMessage, worker: str) -> tuple[str, str]:
    """Send to every device not yet served; return (status, error) for outbox.finish()."""
    served = set(db.session.scalars(select(DeliveryAttempt.subscription_id).where(
        DeliveryAttempt.message_id == message.id, DeliveryAttempt.outcome.in_(("ok", "gone", "refused")))))
    subs = list(db.session.scalars(select(PushSubscription).where(
        PushSubscription.user_id == message.user_id).order_by(PushSubscription.id)))
    if not subs and not served:
        return "skipped", "no devices"
    retry = []
    for sub in (s for s in subs if s.id not in served):
        try:
            status, detail = send(sub, message), ""
            result = outcome_of(status)
        except outbound.Refused as exc:
            status, result, detail = None, "refused", str(exc)
        _note(sub, result)
        outbox.record_attempt(message.id, worker, result, subscription_id=sub.id, status_code=status,
                              detail=detail)
        if result == "retry":
            retry.append(f"device {sub.id}: {status or 'no answer'}")
    return ("pending", "; ".join(retry)) if retry else ("sent", "")


def _note(sub: PushSubscription, result: str) -> None:
    """Record the device's last success or failure; forget it when the push service says it is gone."""
    if result == "gone":
        db.session.execute(delete(PushSubscription).where(PushSubscription.id == sub.id))
    elif result == "ok":
        sub.last_success_at = utcnow()
    else:
        sub.last_failure_at = utcnow()
