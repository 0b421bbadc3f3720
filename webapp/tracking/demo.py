"""Demo tracking-page views at a realistic rate: about 7 in 10 customers of a shipped order open its tracking
link, 1–4 times in the three days after outbound (never in the future)."""
import random
from datetime import timedelta

from sqlalchemy import select

from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.tracking.models import TrackingView
from webapp.vocab import SHIPPED_STATES


def _views(order: Order, rng: random.Random) -> int:
    """Record the customer's views of a shipped order's tracking page (none in the future); return how many."""
    if rng.random() >= 0.7:
        return 0
    shipped, now = order.outbound_at or order.created_at + timedelta(hours=24), utcnow()
    times = [shipped + timedelta(minutes=rng.randint(20, 72 * 60)) for _ in range(rng.randint(1, 4))]
    db.session.add_all(TrackingView(order_id=order.id, at=t) for t in times if t < now)
    return sum(t < now for t in times)


def seed(rng: random.Random) -> dict:
    """Add customers' tracking-page views to the shipped demo orders; return how many."""
    shipped = db.session.scalars(select(Order).where(Order.status.in_(SHIPPED_STATES)).order_by(Order.id))
    return {"tracking_views": sum(_views(order, rng) for order in shipped)}
