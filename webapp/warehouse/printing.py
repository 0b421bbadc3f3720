"""Printable pages: packing slip (A4), shipping label (100 × 150 mm) and a region's labels in one batch."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from webapp.access.policy import policy_for
from webapp.core.errors import AppError
from webapp.core.origin import external_url
from webapp.core.render import render_screen
from webapp.core.timefmt import parse_day
from webapp.extensions import db
from webapp.orders.serialize import order_view
from webapp.orders import services as orders
from webapp.orders.models import Order
from webapp.warehouse import qr
from webapp.warehouse.views import bp
from webapp.vocab import TASK_STATES

BATCH_LIMIT = 500


def label_url(order_no: str) -> str:
    """Return the absolute URL an order's QR encodes (…/o/<order_no>?s=<sig>)."""
    return external_url("warehouse.open_label", order_no=order_no,
                        s=qr.sign(order_no, current_app.config["SECRET_KEY"]))


def printable(order, policy) -> dict:
    """Return what a slip or label shows of an order for this viewer (prices only where readable)."""
    view = order_view(order, policy)
    return {"order_no": order.order_no, "o": view, "qr": Markup(qr.svg(label_url(order.order_no))),
            "lines": view.get("items", []), "show_price": "unit_price" in view.get("line_money", ()),
            "show_total": "total_amount" in view}


@bp.get("/print/slip/<order_no>")
@login_required
def slip(order_no):
    """Show the A4 packing slip of an order, ready to print."""
    order = orders.load(order_no, current_user)
    return render_screen("pages/warehouse/slip.html", **printable(order, policy_for(current_user)))


@bp.get("/print/label/<order_no>")
@login_required
def label(order_no):
    """Show the 100 × 150 mm shipping label of an order, ready to print."""
    order = orders.load(order_no, current_user)
    return render_screen("pages/warehouse/labels.html", labels=[printable(order, policy_for(current_user))],
                         region=None, day=None)


@bp.get("/print/labels")
@login_required
def labels():
    """Print every label of a region's orders waiting to be packed (optionally only one day's)."""
    policy = policy_for(current_user)
    region = request.args.get("region") or next(iter(current_user.region_codes), None)
    if policy.scope == "region" and region not in policy.regions:
        raise AppError(403, _l("You may print labels only for your own regions."))
    stmt = policy.scope_filter(select(Order), Order).where(
        Order.region == region, Order.status.in_(TASK_STATES), Order.deleted_at.is_(None))
    day = _day(request.args.get("day"))
    if day:
        start = datetime.combine(day, time(), ZoneInfo(current_app.config["ORDERHUB_TZ"]))
        stmt = stmt.where(Order.created_at >= start, Order.created_at < start + timedelta(days=1))
    found = db.session.scalars(stmt.order_by(Order.created_at, Order.id).limit(BATCH_LIMIT)).all()
    return render_screen("pages/warehouse/labels.html", labels=[printable(o, policy) for o in found],
                         region=region, day=day)


def _day(text: str | None) -> date | None:
    try:
        return parse_day(text) if text else None
    except ValueError:
        raise AppError(422, _l("Give the day as YYYY-MM-DD.")) from None
