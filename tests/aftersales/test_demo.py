"""Demo data makes the dashboard alive: tracking views at a realistic rate, on shipped orders, never in the future."""
from sqlalchemy import func, select

from webapp.core.db import utcnow
from webapp.tracking.models import TrackingView
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.vocab import SHIPPED_STATES


def test_demo_seed_adds_tracking_views_to_shipped_orders(app, runner):
    assert runner.invoke(args=["demo", "seed", "--orders", "120"]).exit_code == 0
    with app.app_context():
        shipped = db.session.scalar(select(func.count()).select_from(Order).where(Order.status.in_(SHIPPED_STATES)))
        views = db.session.execute(select(TrackingView.at, Order.status).join(Order, Order.id == TrackingView.order_id)).all()
    assert views and {status for _at, status in views} <= set(SHIPPED_STATES)
    assert all(at <= utcnow() for at, _status in views)
    assert 0.3 * shipped <= len(views) <= 3 * shipped  # about 7 in 10 customers, 1–4 views each
