"""Write-back: when a pulled order is handed to the courier, send its carrier and tracking number back to its channel.

The hand-over (in_transit, which requires carrier and tracking_no) queues one outbox message (medium
"channel") in the step's own transaction, keyed per order so it is sent once; the worker delivers it
through the channel's adapter, retrying transient failures (5xx, busy, network) with the outbox's backoff.
"""
import json

from sqlalchemy import select

from webapp.extensions import db
from webapp.intake.models import Channel
from webapp.intake.pull.adapters import PlatformError, adapter_for
from webapp.intake.pull.apply import ref_of
from webapp.notify import outbox
from webapp.notify.models import OutboxMessage
from webapp.orders.hooks import OrderEvent
from webapp.orders.models import Order

MEDIUM = "channel"
HANDED_OVER = "in_transit"


def on_order_change(event: OrderEvent) -> None:
    """On hand-over of an order pulled from a channel that writes back, queue the write-back (same transaction)."""
    order = event.order
    if event.kind != "transition" or event.to_state != HANDED_OVER or not (order.tracking_no or "").strip():
        return
    ref = ref_of(order)
    if ref is None:
        return
    channel = db.session.scalar(select(Channel).where(Channel.code == order.channel))
    adapter = adapter_for(channel) if channel is not None else None
    if adapter is None or not adapter.writes_back:
        return
    outbox.enqueue(f"channel:ship:{order.id}", MEDIUM, "writeback",
                   {"order": order.id, "carrier": order.carrier or "", "tracking_no": order.tracking_no.strip()},
                   order_id=order.id)


def deliver(message: OutboxMessage, worker: str) -> tuple:
    """Upload a claimed write-back; return (status, error) for outbox.finish()."""
    payload = json.loads(message.payload)
    order = db.session.get(Order, payload["order"])
    ref = ref_of(order) if order is not None else None
    channel = db.session.scalar(select(Channel).where(Channel.code == order.channel)) if ref is not None else None
    adapter = adapter_for(channel) if channel is not None else None
    if adapter is None or not adapter.writes_back:
        return "skipped", "order or channel gone, or the channel no longer writes back"
    data = json.loads(ref.data or "{}")
    try:
        answer = adapter.upload_shipping(data, payload["carrier"], payload["tracking_no"],
                                         item_desc=data.get("item_desc", ""), phone=order.customer_phone or "")
    except PlatformError as exc:
        outbox.record_attempt(message.id, worker, "retry" if exc.transient else "refused", detail=str(exc))
        return ("pending" if exc.transient else "failed"), str(exc)
    outbox.record_attempt(message.id, worker, "ok", detail=answer[:300])
    return "sent", ""
