"""Order events: other domains react to order changes inside the same transaction.

The write service calls emit() after applying a change and before the caller commits, so a
handler that queues work (notifications, alerts, webhooks) commits or rolls back with the change.
"""
from dataclasses import dataclass, field
from typing import Callable

HANDLERS: list[Callable] = []


@dataclass
class OrderEvent:
    """What happened to an order: created, changed, transition, deleted or restored."""

    kind: str
    order: object
    actor: object = None
    via: str = "system"
    changes: dict = field(default_factory=dict)  # field → (old, new)
    from_state: str | None = None
    to_state: str | None = None


def on_order_event(fn: Callable) -> Callable:
    """Register fn(event) to run inside the transaction of every order change."""
    if fn not in HANDLERS:
        HANDLERS.append(fn)
    return fn


def emit(event: OrderEvent) -> None:
    """Run every registered handler for this event."""
    for handler in HANDLERS:
        handler(event)
