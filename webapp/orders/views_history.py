"""An order's history timeline: on the order page, and as an htmx fragment of its own."""
from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.access.policy import policy_for
from webapp.core.render import render_screen
from webapp.extensions import db
from webapp.orders.history import history_for
from webapp.orders.models import Order
from webapp.orders.views import bp


def order_history(order_no: str) -> list:
    """Return the order's history for the logged-in viewer (template global for the history partial)."""
    return history_for(order_no, policy_for(current_user)) if current_user.is_authenticated else []


@bp.get("/orders/<order_no>/history")
@bp.get("/audit/orders/<order_no>/history")  # the address before the history moved to orders
@login_required
def history(order_no: str):
    """Return an order's history timeline, only what the viewer may read (for hx-get on the order page)."""
    policy = policy_for(current_user)
    order = db.session.scalar(select(Order).where(Order.order_no == order_no))
    if order is None or not policy.can_see(order):
        abort(404)
    return render_screen("partials/orders/_history.html", history=history_for(order_no, policy))
