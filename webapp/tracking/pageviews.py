"""Record customers' views of the tracking page: one insert per view, counted per day by the worker (facts).

Not counted: staff previews (anyone logged in), link prefetches (`Purpose`/`Sec-Purpose: prefetch`), and
the page's own reloads (switching language, coming back after asking a question).
"""
from flask import request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from webapp.tracking.models import TrackingView
from webapp.extensions import db


def is_customer_view() -> bool:
    """Say whether this request is a customer opening the tracking page (not staff, a prefetch or a reload)."""
    if getattr(current_user, "is_authenticated", False):
        return False
    purpose = (request.headers.get("Sec-Purpose") or request.headers.get("Purpose") or "").lower()
    return "prefetch" not in purpose and request.method == "GET" and not (
        request.args.get("lang") or request.args.get("asked"))


def record(order) -> None:
    """Insert one view of the order's tracking page and commit; a failure never breaks the customer's page."""
    try:
        db.session.add(TrackingView(order_id=order.id))
        db.session.commit()
    except SQLAlchemyError:  # a locked SQLite file or a lost connection: the view is not counted
        db.session.rollback()
