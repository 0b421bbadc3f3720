"""REST API v1 order routes: thin handlers over the one write service and the one projection.

Every write runs in webapp.orders.txn.run(actor=token user, via="api"); every order returned is
webapp.orders.serialize.order_json(order, policy). An order outside the caller's scope is a 404.
"""
import flask_smorest
from flask import jsonify, make_response, request, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.access.policy import policy_for
from webapp.api import listing, problems
from webapp.api.auth import api_user
from webapp.api.schemas import HistoryPage, OrderCreate, OrderListArgs, OrderOut, OrderPage, OrderPatch, TransitionIn
from webapp.api.spec import HEADERS
from webapp.orders.history import history_for
from webapp.core.errors import AppError
from webapp.extensions import db
from webapp.orders import services, txn
from webapp.orders.models import Order
from webapp.orders.serialize import order_json

bp = flask_smorest.Blueprint("api", __name__, url_prefix="/api/v1", description="Orders, catalogue and customers.")
problems.register(bp)


def etag(order: Order) -> str:
    """Return the order's ETag: its version."""
    return f'"{order.version}"'


def order_response(order: Order, status: int = 200):
    """Answer with the order as the caller may see it, and its ETag."""
    resp = jsonify(order_json(order, policy_for(api_user())))
    resp.status_code = status
    resp.headers["ETag"] = etag(order)
    return resp


def _tags(header: str | None) -> list[str]:
    return [t.strip().removeprefix("W/").strip('"') for t in (header or "").split(",") if t.strip()]


def if_match_version() -> int | None:
    """Return the version an If-Match header names (None when absent or `*`); junk is a 400."""
    tags = _tags(request.headers.get("If-Match"))
    if not tags or tags == ["*"]:
        return None
    if len(tags) != 1 or not tags[0].isdigit():
        raise AppError(400, _("If-Match must be one ETag as this API gave it, e.g. \"3\"."), "invalid_if_match",
                       ["If-Match"])
    return int(tags[0])


def _by_origin(raw: dict, user) -> Order | None:
    """Return the order already created from this (channel, external_id), if any (not visible: 409)."""
    external_id = (raw.get("external_id") or "").strip()
    if not external_id:
        return None
    channel = (raw.get("channel") or "").strip() or "web"
    order = db.session.scalar(select(Order).where(Order.channel == channel, Order.external_id == external_id))
    if order is not None and not policy_for(user).can_see(order):
        raise AppError(409, _("Another order from this channel already has this external ID."), "conflict",
                       ["external_id"])
    return order


@bp.route("/orders")
class Orders(MethodView):
    """The orders the token's user may see."""

    @bp.arguments(OrderListArgs, location="query")
    @bp.response(200, OrderPage)
    def get(self, args):
        """List orders, oldest change first; follow `next_cursor` for the next page."""
        rows, cursor = listing.order_page(args, api_user())
        policy = policy_for(api_user())
        return jsonify(data=[order_json(order, policy) for order in rows], next_cursor=cursor)

    @bp.arguments(OrderCreate)
    @bp.response(201, OrderOut)
    @bp.alt_response(200, schema=OrderOut, description="The order already created from this channel and "
                                                        "external_id (nothing new was created).")
    @bp.doc(parameters=[HEADERS["idempotency"]])
    def post(self, body):
        """Create an order; prices come from the catalogue. Repeats (same key, or same channel + external_id) create nothing."""
        user = api_user()
        raw = {k: v for k, v in body.items() if k != "items"}
        existing = _by_origin(raw, user)
        if existing is not None:
            return order_response(existing)
        try:
            order = txn.run(lambda: services.submit_order(raw, body["items"], actor=user, via="api"),
                            actor=user, via="api")
        except IntegrityError:
            existing = _by_origin(raw, user)  # a concurrent create of the same external order won the race
            if existing is None:
                raise
            return order_response(existing)
        resp = order_response(order, 201)
        resp.headers["Location"] = url_for("api.OrderItem", order_no=order.order_no)
        return resp


@bp.route("/orders/<order_no>")
class OrderItem(MethodView):
    """One order."""

    @bp.response(200, OrderOut)
    @bp.alt_response(304, description="Not modified: the order still has the version named by If-None-Match.")
    @bp.doc(parameters=[HEADERS["if_none_match"]])
    def get(self, order_no):
        """Show an order (only the fields you may read); ETag is its version."""
        order = services.load(order_no, api_user())
        held = _tags(request.headers.get("If-None-Match"))
        if "*" in held or str(order.version) in held:
            resp = make_response("", 304)
            resp.headers["ETag"] = etag(order)
            return resp
        return order_response(order)

    @bp.arguments(OrderPatch)
    @bp.response(200, OrderOut)
    @bp.doc(parameters=[HEADERS["if_match"], HEADERS["idempotency"]])
    def patch(self, body, order_no):
        """Change any fields you may write; a forbidden field is a 403 naming it, a stale version a 409."""
        user = api_user()
        version = body.pop("version", None) or if_match_version()
        items = body.pop("items", None)
        order = txn.run(lambda: services.update_order(order_no, body, items, version=version, actor=user, via="api"),
                        actor=user, via="api")
        return order_response(order)


@bp.route("/orders/<order_no>/transitions", methods=["POST"])
@bp.arguments(TransitionIn)
@bp.response(200, OrderOut)
@bp.doc(parameters=[HEADERS["if_match"], HEADERS["idempotency"]])
def transitions(body, order_no):
    """Move an order one step, with the same rules and evidence as the screens."""
    user = api_user()
    supplied = {k: body[k] for k in ("carrier", "tracking_no") if k in body}
    version = body.get("version") or if_match_version()
    order = txn.run(lambda: services.transition(order_no, body["to"], actor=user, via="api", version=version,
                                                reason=body.get("reason", ""), supplied=supplied),
                    actor=user, via="api")
    return order_response(order)


@bp.route("/orders/<order_no>/history", methods=["GET"])
@bp.response(200, HistoryPage)
def history(order_no):
    """Show an order's history, leaving out entries about fields you may not read."""
    user = api_user()
    order = services.load(order_no, user)
    items = history_for(order.order_no, policy_for(user))
    return jsonify(data=[{"id": it.id, "at": it.at.isoformat(), "actor": it.actor, "via": it.via,
                          "action": it.action, "text": it.text} for it in items])
