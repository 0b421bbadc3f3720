"""Waybill rules: ask for one when an order goes outbound, ask again on request, store the number.

The request is an outbox message (medium "waybill") written in the outbound step's transaction, so
the worker sends it, retries it with backoff and never sends one round twice. A number the carrier
gives becomes the order's carrier and tracking_no through the orders write service (as the system),
unless somebody already handed the parcel over by hand.
"""
import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import outbox
from webapp.orders import services as orders
from webapp.orders.errors import OrderError
from webapp.orders.hooks import OrderEvent
from webapp.orders.txn import run

from webapp.carriers.waybills.adapters import Answer, Party, Shipment, active, adapters, sender
from webapp.carriers.waybills.models import Waybill

MEDIUM = "waybill"
STOCK_READY = "outbound"  # 备货完成: the pack screen's outbound step
log = logging.getLogger(__name__)
HINTS = {  # what staff can do about a refusal, by the carrier's code
    "A1001": _l("A required field is missing in the request."),
    "A1003": _l("The carrier does not accept requests from this server's address."),
    "A1004": _l("This account may not create waybills; ask the carrier to enable the service."),
    "A1006": _l("The carrier refused the signature: check the check word in the settings."),
    "8114": _l("The monthly account number is unknown to the carrier."),
}


def waybill_of(order) -> Waybill | None:
    """Return the order's waybill request, if one was made."""
    return db.session.scalar(select(Waybill).where(Waybill.order_id == order.id))


def on_order_change(event: OrderEvent) -> None:
    """When the warehouse marks stock ready (outbound) and a carrier adapter is set up, queue a waybill."""
    if event.kind == "transition" and event.to_state == STOCK_READY and active() is not None:
        request(event.order)


def request(order) -> Waybill | None:
    """Queue a (new round of a) waybill request for an order in the caller's transaction; None: no adapter.

    A waybill already issued or still pending is left alone, so two taps queue one request.
    """
    adapter = active()
    found = waybill_of(order)
    if found is not None and found.status in ("ok", "pending"):
        return found
    if adapter is None:
        return None
    if found is None:
        found = Waybill(order_id=order.id, adapter=adapter.kind, carrier=adapter.carrier, round=1)
        db.session.add(found)
    else:
        found.round, found.adapter, found.carrier = found.round + 1, adapter.kind, adapter.carrier
    found.status, found.code, found.error, found.requested_at, found.answered_at = "pending", "", "", utcnow(), None
    db.session.flush()
    outbox.enqueue(f"waybill:{found.id}:{found.round}", MEDIUM, "waybill", {"waybill": found.id, "round": found.round},
                   order_id=order.id)
    return found


def shipment_of(order) -> Shipment:
    """Return what the carrier is told about an order: our number, sender, recipient, items."""
    recipient = Party(order.customer_name or "", order.customer_phone or "", order.address or "")
    return Shipment(order.order_no, sender(), recipient, tuple((ln.name, ln.quantity) for ln in order.lines))


def adapter_of(waybill: Waybill):
    """Return the adapter a waybill was requested from (None when it is no longer set up)."""
    adapter = adapters().get(waybill.adapter)
    return adapter if adapter is not None and adapter.configured() else None


def store(waybill: Waybill, answer: Answer) -> None:
    """Keep the carrier's answer; a new number becomes the order's tracking_no (the caller commits)."""
    waybill.code, waybill.answered_at = answer.code[:32], utcnow()
    if not answer.ok:
        waybill.status, waybill.error = "failed", (answer.message or answer.code)[:500]
        return
    waybill.status, waybill.waybill_no, waybill.error = "ok", answer.number[:64], ""


def write_to_order(waybill: Waybill) -> bool:
    """Set the order's carrier and tracking_no to the waybill's as the system; False if already handed over."""
    order = waybill.order
    if order.status != STOCK_READY or (order.tracking_no or "").strip():
        return False
    try:
        run(lambda: orders.update_order(order.order_no, {"carrier": waybill.carrier, "tracking_no": waybill.waybill_no},
                                        actor=None, via="system"), actor=None, via="system")
    except OrderError as exc:
        log.warning("waybill: could not store %s on %s: %s", waybill.waybill_no, order.order_no, exc)
        return False
    return True


def problem(waybill: Waybill | None) -> str:
    """Return a refusal as staff should read it: the carrier's words, the code and what to do."""
    if waybill is None or waybill.status != "failed":
        return ""
    hint = HINTS.get(waybill.code)
    said = f"{waybill.error} ({waybill.code})" if waybill.error and waybill.error != waybill.code else waybill.code
    text = str(_l("%(carrier)s refused the waybill: %(said)s.", carrier=waybill.carrier, said=said))
    return f"{text} {hint}" if hint else text
