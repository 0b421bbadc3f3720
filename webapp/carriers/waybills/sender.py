"""The outbox's "waybill" channel: send one round of a waybill request and keep the carrier's answer."""
import json

from webapp.config import setting
from webapp.extensions import db
from webapp.notify import outbox
from webapp.notify.models import OutboxMessage
from webapp.core import outbound

from webapp.carriers.waybills import services
from webapp.carriers.waybills.models import Waybill


def _ask(adapter, build, shipment) -> tuple:
    url, body, headers = build(shipment)
    status, ms, text = outbound.post(url, body, headers, timeout=float(setting("WAYBILL_TIMEOUT", 10)), keep=200_000)
    return adapter.read(status, text), status, ms


def deliver(message: OutboxMessage, worker: str) -> tuple:
    """Ask the carrier for the waybill of a claimed round; return (status, error) for outbox.finish()."""
    payload = json.loads(message.payload)
    waybill = db.session.get(Waybill, payload["waybill"])
    if waybill is None or waybill.status == "ok" or waybill.round != payload["round"]:
        return "skipped", "waybill gone, issued or asked again"
    adapter = services.adapter_of(waybill)
    if adapter is None:
        waybill.status, waybill.code, waybill.error = "failed", "not configured", "no waybill adapter is set up"
        db.session.commit()
        return "failed", "no waybill adapter configured"
    shipment = services.shipment_of(waybill.order)
    answer, status, ms = _ask(adapter, adapter.request, shipment)
    if answer.lookup:  # ordered before (a lost answer): fetch that waybill rather than ordering twice
        answer, status, ms = _ask(adapter, adapter.lookup, shipment)
    outbox.record_attempt(message.id, worker, "ok" if answer.ok else ("retry" if answer.retry else "refused"),
                          status_code=status, detail=f"{ms} ms; {answer.code}; {answer.message[:300]}")
    if answer.retry and not answer.ok and message.attempts < outbox.MAX_ATTEMPTS:
        waybill = db.session.get(Waybill, payload["waybill"])
        waybill.code, waybill.error = answer.code[:32], (answer.message or answer.code)[:500]
        db.session.commit()
        return "pending", f"{answer.code}: {answer.message}"
    waybill = db.session.get(Waybill, payload["waybill"])
    services.store(waybill, answer)
    db.session.commit()
    if not answer.ok:
        return "failed", f"{answer.code}: {answer.message}"
    services.write_to_order(waybill)
    return "sent", ""
