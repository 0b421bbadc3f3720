"""What each change sends: the event types, and an order shaped by the endpoint user's permissions."""
import json
from datetime import timedelta

from sqlalchemy import select

from tests.factories import make_order
from tests.notify.helpers import step
from tests.webhooks.helpers import deliveries, drain
from webapp.access.policy import policy_for
from webapp.auth.models import User
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import overdue
from webapp.notify.models import OutboxMessage
from webapp.orders import services as orders
from webapp.orders.models import Order
from webapp.orders.serialize import order_json

MONEY = ("discount", "shipping_fee", "total_amount", "cost_total", "profit")


def test_warehouse_endpoint_gets_no_amounts_and_the_same_projection_as_the_api(app, receiver, endpoint):
    _e, _s, admin = endpoint("admin", ["order.status_changed"])
    _e, _s, packer = endpoint("warehouse", ["order.status_changed"], path="/packer", regions=["east"])
    with app.app_context():
        oid = make_order().id  # 浙江: region east
        step(oid, "confirmed")
        drain()
        order = db.session.get(Order, oid)
        expected = {path: order_json(order, policy_for(db.session.get(User, user.id)))
                    for path, user in (("/hooks", admin), ("/packer", packer))}
    sent = {r["path"]: json.loads(r["body"])["data"]["order"] for r in receiver.received}
    assert sent == expected
    assert all(name not in sent["/packer"] for name in MONEY)
    assert all(set(line) & {"unit_price", "unit_cost"} == set() for line in sent["/packer"].get("items", []))
    assert sent["/hooks"]["total_amount"] == "258.00"


def test_orders_outside_the_users_scope_are_not_sent(app, receiver, endpoint):
    endpoint("warehouse", ["order.created", "order.status_changed"], regions=["north"])
    with app.app_context():
        step(make_order().id, "confirmed")  # an east order
        drain()
    assert receiver.received == []


def test_each_change_raises_its_events_in_order(app, receiver, endpoint):
    endpoint("admin")
    with app.app_context():
        order = make_order()
        orders.update_order(order.order_no, {"notes": "请加急"}, actor=None, via="system")
        db.session.commit()
        step(order.id, "awaiting_approval")
        step(order.id, "confirmed")
        step(order.id, "in_production")
        step(order.id, "outbound")
        step(order.id, "in_transit", carrier="顺丰", tracking_no="SF1234567890")
        drain()
    events = receiver.events()
    assert [e["type"] for e in events] == [
        "order.created", "order.updated", "order.status_changed", "order.awaiting_approval",
        "order.status_changed", "order.status_changed", "order.status_changed", "order.status_changed",
        "order.shipped"]
    assert events[1]["data"]["changed"] == ["notes"] and events[1]["data"]["order"]["notes"] == "请加急"
    assert events[2]["data"]["previous_status"] == "pending_payment"
    shipped = events[-1]["data"]["order"]
    assert (shipped["status"], shipped["carrier"], shipped["tracking_no"]) == ("in_transit", "顺丰", "SF1234567890")


def test_an_endpoint_gets_only_the_events_it_chose(app, receiver, endpoint):
    endpoint("admin", ["order.shipped"])
    with app.app_context():
        oid = make_order().id
        for state in ("confirmed", "in_production", "outbound"):
            step(oid, state)
        step(oid, "in_transit", carrier="顺丰", tracking_no="SF1")
        drain()
    assert [e["type"] for e in receiver.events()] == ["order.shipped"]


def test_overdue_is_sent_once_per_breach(app, receiver, endpoint):
    endpoint("admin", ["order.overdue"])
    t0 = utcnow() - timedelta(days=10)
    with app.app_context():
        oid = make_order(at=t0).id
        step(oid, "confirmed", at=t0)
        overdue.sweep(now=t0 + timedelta(hours=49))
        overdue.sweep(now=t0 + timedelta(hours=50))
        overdue.sweep(now=t0 + timedelta(hours=73))  # the escalation is no new event
        drain()
    assert [(e["type"], e["data"]["order"]["status"]) for e in receiver.events()] == [("order.overdue", "confirmed")]


def test_a_change_rolled_back_sends_nothing(app, receiver, endpoint):
    endpoint("admin")
    with app.app_context():
        order_no = make_order().order_no
        drain()
        orders.update_order(order_no, {"notes": "x"}, actor=None, via="system")
        db.session.rollback()
        drain()
        assert db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.topic == "order.updated")) is None
    assert [d[0] for d in deliveries(app)] == ["order.created"]


def test_a_change_to_fields_the_user_cannot_read_is_not_sent_to_them(app, receiver, endpoint):
    endpoint("admin", ["order.updated"])
    endpoint("warehouse", ["order.updated"], path="/packer", regions=["east"])
    with app.app_context():
        order = make_order()
        step(order.id, "confirmed")
        orders.update_order(order.order_no, {"external_id": "TB-889"}, actor=None, via="system")
        db.session.commit()
        drain()
    assert [(r["path"], json.loads(r["body"])["data"]["changed"]) for r in receiver.received] == [
        ("/hooks", ["external_id"])]
