"""The outbox's "tracking" channel: subscribe a parcel at the aggregator, or poll it after a quiet day."""
import json
from datetime import timedelta

from webapp.config import setting
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import outbox
from webapp.notify.models import OutboxMessage
from webapp.webhooks import outbound

from webapp.carriers.tracking import services
from webapp.carriers.tracking.adapters import FORM, adapter, read_result
from webapp.carriers.tracking.models import Parcel

RETRY_FOR = timedelta(hours=24)


def deliver(message: OutboxMessage, worker: str) -> tuple:
    """Send a claimed subscription or poll; return (status, error[, retry_at]) for outbox.finish()."""
    payload = json.loads(message.payload)
    parcel = db.session.get(Parcel, payload["parcel"])
    if parcel is None or parcel.delivered_at is not None:
        return "skipped", "parcel gone or already delivered"
    vendor = adapter()
    if not vendor.configured():
        return "skipped", "no tracking aggregator configured"
    phone = (parcel.order.customer_phone or "")[-4:] if parcel.company == "shunfeng" else ""  # 顺丰 asks for it
    if payload["do"] == "poll":
        url, body = vendor.query(parcel.company, parcel.tracking_no, phone)
    else:
        url, body = vendor.subscribe(parcel.company, parcel.tracking_no, services.callback_url(), phone)
    status, ms, answer = outbound.post(url, body, FORM, timeout=float(setting("KUAIDI100_TIMEOUT", 10)), keep=200_000)
    ok, retry, code = _read(payload["do"], parcel, status, answer)
    outbox.record_attempt(message.id, worker, "ok" if ok else "retry", status_code=status,
                          detail=f"{ms} ms; returnCode {code}; {answer[:300]}")
    if ok:
        return "sent", ""
    error = f"HTTP {status}: {answer[:300]}" if status else answer
    if not retry or utcnow() > message.created_at + RETRY_FOR:
        return "failed", error
    return "pending", error


def _read(do: str, parcel: Parcel, status: int | None, answer: str) -> tuple[bool, bool, str]:
    """Apply the aggregator's answer; return (ok, worth retrying, code)."""
    if do == "subscribe":
        ok, retry, code = adapter().subscribed(status, answer)
        if ok:
            parcel.subscribed_at = utcnow()
        return ok, retry, code
    try:
        result = json.loads(answer)
        update = read_result(result)
    except (ValueError, KeyError, AttributeError):
        return False, True, ""
    if status != 200 or str(result.get("status", "")) != "200":
        return False, True, str(result.get("returnCode", ""))
    services.apply(parcel, update)
    db.session.commit()
    services.complete_if_delivered(parcel)
    return True, False, "200"
