"""Which webhook events an order change raises, and queuing them (in the change's transaction) per endpoint.

Each event becomes one outbox message per endpoint that wants it, its body fixed at the moment of
the change and shaped by the endpoint user's policy (webapp.orders.serialize.order_json).
"""
import json
import uuid

from sqlalchemy import select

from webapp.access.policy import policy_for
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import outbox
from webapp.orders.hooks import OrderEvent
from webapp.orders.serialize import order_json
from webapp.webhooks.models import WebhookDelivery, WebhookEndpoint

EVENTS = ("order.created", "order.updated", "order.status_changed", "order.shipped", "order.awaiting_approval",
          "order.overdue")
TEST_EVENT = "webhook.test"
SHIPPED_ON = "in_transit"  # "shipped" = handed to a carrier: the step that requires carrier and tracking_no


def event_types(event: OrderEvent) -> list[str]:
    """Name the webhook events one order change raises, in the order they are sent."""
    if event.kind == "created":
        types = ["order.created"]
    elif event.kind == "transition":
        types = ["order.status_changed"] + (["order.shipped"] if event.to_state == SHIPPED_ON else [])
    else:  # changed, deleted, restored
        types = ["order.updated"]
    if event.to_state == "awaiting_approval":
        types.append("order.awaiting_approval")
    return types


def active_endpoints(event_type: str | None = None) -> list[WebhookEndpoint]:
    """Return the active endpoints (those subscribed to event_type, when given), oldest first."""
    found = db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))
                               .order_by(WebhookEndpoint.id))
    return [e for e in found if event_type is None or event_type in e.event_list]


def _details(event: OrderEvent, policy) -> dict | None:
    """Return what data carries beside the order; None when the user may read nothing that changed."""
    if event.kind == "transition" and policy.can_read("status"):
        return {"previous_status": event.from_state}
    if event.kind == "changed":
        changed = [name for name in event.changes if policy.can_read(name)]
        return {"changed": changed} if changed else None
    if event.kind in ("deleted", "restored"):
        return {"deleted": event.kind == "deleted"}
    return {}


def on_order_change(event: OrderEvent) -> None:
    """Queue the webhook events of an order change for every endpoint that wants them."""
    types = event_types(event)
    for endpoint in active_endpoints():
        wanted = [t for t in types if t in endpoint.event_list]
        details = _details(event, policy_for(endpoint.user)) if wanted else None
        if details is None:
            continue
        for event_type in wanted:
            queue(endpoint, event_type, event.order, details)


def on_overdue(order, now) -> None:
    """Queue order.overdue for an order that just went without a step for the overdue hours."""
    for endpoint in active_endpoints("order.overdue"):
        queue(endpoint, "order.overdue", order, {}, at=now)


def queue(endpoint: WebhookEndpoint, event_type: str, order, details: dict, event_id: str | None = None,
          at=None) -> WebhookDelivery | None:
    """Write one event for one endpoint into the outbox, unless its user may not see the order."""
    policy = policy_for(endpoint.user)
    if order is not None and (not endpoint.user.is_active_user or not policy.can_see(order)):
        return None
    data = ({"order": order_json(order, policy)} if order is not None else {}) | details
    body = {"type": event_type, "timestamp": (at or utcnow()).isoformat(), "data": data}
    return write(endpoint, event_type, body, event_id or f"msg_{uuid.uuid4().hex}",
                 order_id=getattr(order, "id", None), order_no=getattr(order, "order_no", ""))


def write(endpoint: WebhookEndpoint, event_type: str, body: dict, event_id: str, *, order_id=None,
          order_no: str = "", key: str | None = None) -> WebhookDelivery | None:
    """Put a prepared body in the outbox and note the delivery; a key already written is skipped."""
    payload = {"endpoint": endpoint.id, "id": event_id, "body": body}
    message_id = outbox.enqueue(key or f"webhook:{endpoint.id}:{event_id}", "webhook", event_type, payload,
                                order_id=order_id)
    if message_id is None:
        return None
    record = WebhookDelivery(endpoint_id=endpoint.id, message_id=message_id, event_id=event_id,
                             event_type=event_type, order_id=order_id, order_no=order_no, created_at=utcnow())
    db.session.add(record)
    return record


def encode(body: dict) -> str:
    """Return the exact JSON text sent (and signed) for a body."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
