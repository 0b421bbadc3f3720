"""Web push to the right people, with only what their role may read, TTL, urgency and VAPID auth."""
import pytest
from py_vapid import Vapid02
from sqlalchemy import func, select

from tests.factories import make_order
from tests.notify.helpers import drain, step
from webapp.extensions import db
from webapp.notify.models import DeliveryAttempt, OutboxMessage, PushSubscription


@pytest.fixture
def people(app, make_user):
    """A salesperson, warehouse users of east and north, a manager, finance."""
    return {"sales": make_user("sales", "seller"), "east": make_user("warehouse", "wh_east", ["east"]),
            "north": make_user("warehouse", "wh_north", ["north"]), "manager": make_user("manager", "boss"),
            "finance": make_user("finance", "money")}


@pytest.fixture
def order_id(app, people):
    with app.app_context():
        return make_order(salesperson=people["sales"]).id  # an east-China address


def test_confirmed_order_reaches_its_region_warehouse_and_salesperson_only(app, people, order_id, subscribe,
                                                                         push_service):
    devices = {name: subscribe(user, name) for name, user in people.items()}
    with app.app_context():
        step(order_id, "confirmed")
        assert drain() == 2
    got = {m["_path"].rsplit("/", 1)[1]: m for m in push_service.messages()}
    assert set(got) == {"east", "sales"}
    assert got["east"]["topic"] == "order_confirmed" and got["sales"]["topic"] == "state_changed"
    assert devices["north"].endpoint not in {m["_path"] for m in push_service.messages()}


def test_awaiting_approval_goes_to_approvers(app, people, order_id, subscribe, push_service):
    for name, user in people.items():
        subscribe(user, name)
    with app.app_context():
        step(order_id, "awaiting_approval")
        drain()
    got = {m["_path"].rsplit("/", 1)[1]: m["topic"] for m in push_service.messages()}
    assert got == {"manager": "approval_needed", "sales": "state_changed"}


def test_the_actor_is_not_told_about_their_own_step(app, people, order_id, subscribe, push_service):
    subscribe(people["sales"], "sales")
    with app.app_context():
        step(order_id, "confirmed", actor=db.session.merge(people["sales"]))
        drain()
    assert push_service.messages("sales") == []


@pytest.mark.parametrize("role, amounts_visible", [
    ("warehouse", False), ("manager", True), ("sales", True)])
def test_payload_holds_only_fields_the_recipient_may_read(app, make_user, subscribe, push_service, role,
                                                          amounts_visible):
    seller = make_user("sales", "seller")
    recipient = seller if role == "sales" else make_user(role, f"r_{role}", ["east"] if role == "warehouse" else None)
    with app.app_context():
        oid = make_order(salesperson=seller).id
    subscribe(recipient, "r")
    with app.app_context():
        step(oid, "awaiting_approval" if role == "manager" else "confirmed")
        drain()
    [message] = push_service.messages("r")
    assert ("total_amount" in message["order"]) is amounts_visible
    assert "profit" not in message["order"] or role == "manager"
    assert ("¥" in message["body"]) is amounts_visible
    assert message["order"]["order_no"].startswith("SO")
    if role == "warehouse":
        assert set(message["order"]) <= {"order_no", "status", "customer_name", "region", "carrier", "tracking_no"}


def test_push_request_has_ttl_urgency_topic_and_vapid_authorization(app, people, order_id, subscribe,
                                                                     push_service):
    subscribe(people["east"], "east")
    with app.app_context():
        step(order_id, "confirmed")
        drain()
    [request] = push_service.received
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert int(headers["ttl"]) > 0
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["urgency"] == "normal" and headers["topic"].startswith("m")
    assert headers["authorization"].startswith("vapid t=") and ",k=" in headers["authorization"]
    assert Vapid02.verify(headers["authorization"])


def test_gone_subscription_is_deleted_and_never_used_again(app, people, order_id, subscribe, push_service):
    subscribe(people["east"], "old-phone")
    subscribe(people["east"], "new-phone")
    push_service.status["/push/old-phone"] = 410
    with app.app_context():
        step(order_id, "confirmed")
        drain()
        assert [s.endpoint.rsplit("/", 1)[1] for s in db.session.scalars(select(PushSubscription))] == ["new-phone"]
        step(order_id, "in_production")  # not a warehouse topic; confirm again through a second order
        second = make_order(salesperson=people["sales"]).id
        step(second, "confirmed")
        drain()
    paths = [r["path"] for r in push_service.received]
    assert paths.count("/push/old-phone") == 1 and paths.count("/push/new-phone") == 2


def test_success_is_recorded_on_the_subscription(app, people, order_id, subscribe, push_service):
    subscribe(people["east"], "east")
    with app.app_context():
        step(order_id, "confirmed")
        drain()
        sub = db.session.scalar(select(PushSubscription))
        assert sub.last_success_at is not None
        assert db.session.scalar(select(OutboxMessage.status)) == "sent"


def test_server_error_is_retried_with_backoff_and_every_attempt_recorded(app, people, order_id, subscribe,
                                                                         push_service):
    subscribe(people["east"], "east")
    push_service.status["/push/east"] = 503
    with app.app_context():
        step(order_id, "confirmed")
        drain()
        message = db.session.scalar(select(OutboxMessage))
        assert message.status == "pending" and message.attempts == 1
        first_retry = message.next_attempt_at
        assert drain() == 0  # not due yet
        push_service.status["/push/east"] = 201
        drain(now=first_retry)
        db.session.refresh(message)
        assert message.status == "sent" and message.attempts == 2
        outcomes = db.session.scalars(select(DeliveryAttempt.outcome).order_by(DeliveryAttempt.id)).all()
    assert outcomes == ["retry", "ok"]


def test_user_without_devices_gets_no_outbox_rows(app, people, order_id):
    with app.app_context():
        step(order_id, "confirmed")
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_rolled_back_change_leaves_no_message(app, people, order_id, subscribe):
    from webapp.orders.hooks import OrderEvent, emit
    from webapp.orders.models import Order
    subscribe(people["east"], "east")
    with app.app_context():
        order = db.session.get(Order, order_id)
        order.status = "confirmed"
        emit(OrderEvent("transition", order, None, "system", from_state="pending_payment", to_state="confirmed"))
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
