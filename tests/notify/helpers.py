"""Helpers for notify tests: take order steps the way the orders write service does (event inside)."""
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders.hooks import OrderEvent, emit
from webapp.orders.models import Order, OrderTransition


def step(order_id: int, to: str, actor=None, at=None, **fields) -> Order:
    """Move an order to `to`, recording the transition and emitting the event in one transaction."""
    order = db.session.get(Order, order_id)
    at = at or utcnow()
    source = order.status
    for name, value in fields.items():
        setattr(order, name, value)
    order.status, order.state_changed_at, order.updated_at = to, at, at
    db.session.add(OrderTransition(order_id=order.id, from_state=source, to_state=to,
                                   actor_id=getattr(actor, "id", None), via="system", at=at))
    db.session.flush()
    emit(OrderEvent("transition", order, actor, "system", from_state=source, to_state=to))
    db.session.commit()
    return order


def drain(now=None) -> int:
    """Run one delivery pass in this process."""
    from webapp.notify import delivery
    return delivery.drain(now=now)
