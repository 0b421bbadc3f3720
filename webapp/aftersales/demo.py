"""Demo data for the dashboard: steps to confirmed / outbound, after-sales cases and inquiries at realistic
rates (about 1 % wrong shipments, 3 % returns, 6 inquiries per 100 orders); tracking views: webapp.tracking.demo."""
import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from webapp.aftersales.models import AftersalesCase, CaseLine, Inquiry
from webapp.extensions import db
from webapp.orders.models import Order, OrderTransition
from webapp.vocab import INQUIRY_REASONS, SHIPPED_STATES

REASON_WEIGHTS = (45, 15, 20, 10, 10)  # "where is my order" first, as in the source document


def _steps(order: Order, rng: random.Random) -> None:
    """Record confirmed and outbound steps for a shipped demo order (processing time has data)."""
    confirmed = order.created_at + timedelta(minutes=rng.randint(10, 240))
    outbound = order.outbound_at or confirmed + timedelta(hours=rng.randint(2, 30))
    db.session.add_all([OrderTransition(order_id=order.id, from_state="pending_payment", to_state="confirmed",
                                        via="system", at=confirmed),
                        OrderTransition(order_id=order.id, from_state="in_production", to_state="outbound",
                                        via="system", at=max(outbound, confirmed + timedelta(minutes=30)))])


def seed(rng: random.Random) -> dict:
    """Add the steps, cases and inquiries to the demo orders; return how many of each."""
    made = {"cases": 0, "inquiries": 0}
    for order in db.session.scalars(select(Order).order_by(Order.id)):
        if order.status in SHIPPED_STATES:
            _steps(order, rng)
            roll = rng.random()
            if roll < 0.04 and order.lines:
                kind = "wrong_item" if roll < 0.01 else rng.choice(("return", "exchange", "damaged", "refund_only"))
                line = order.lines[0]
                refund = Decimal("0.00") if kind in ("wrong_item", "exchange") else line.unit_price
                db.session.add(AftersalesCase(order_id=order.id, kind=kind, status="open", refund_amount=refund,
                                              created_at=order.created_at + timedelta(days=2),
                                              lines=[CaseLine(order_line_id=line.id, quantity=1)]))
                made["cases"] += 1
        if rng.random() < 0.06:
            reason = rng.choices(INQUIRY_REASONS, REASON_WEIGHTS)[0]
            db.session.add(Inquiry(order_id=order.id, reason=reason,
                                   created_at=order.created_at + timedelta(hours=rng.randint(1, 48))))
            made["inquiries"] += 1
    return made
