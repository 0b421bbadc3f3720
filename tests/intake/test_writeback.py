"""Write-back: a pulled order handed to the courier sends its carrier and tracking number to the platform, once."""
import time
from datetime import timedelta

from sqlalchemy import select

from tests.intake.fake_platform import order, platform, wxshop  # noqa: F401 (fixtures)
from tests.notify.helpers import drain, step
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.intake.models import Channel
from webapp.intake.pull import runner
from webapp.notify.models import DeliveryAttempt, OutboxMessage
from webapp.orders.models import Order
from webapp.warehouse import services as warehouse

UPLOAD = "/wxa/sec/order/upload_shipping_info"


def _pulled_and_handed_over(app, make_user, number="SF1402983377120") -> int:
    """Pull one order from the platform and hand it to 顺丰 through the warehouse hand-over; return its id."""
    admin = make_user("warehouse", "picker")
    with app.app_context():
        runner.pull_now(db.session.scalar(select(Channel).where(Channel.code == "wxshop")))
        got = db.session.scalar(select(Order).where(Order.external_id == "5001"))
        for state in ("confirmed", "in_production", "outbound"):
            step(got.id, state)
        warehouse.hand_over(got.order_no, "顺丰", number, actor=db.session.merge(admin))
        db.session.commit()
        return got.id


def _messages(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(select(OutboxMessage).where(OutboxMessage.medium == "channel")).all()
        db.session.expunge_all()
        return found


def test_hand_over_writes_back_once_with_carrier_and_number(app, make_user, platform, wxshop):
    platform.add(order("5001", int(time.time()) - 10, phone="13912345678"))
    oid = _pulled_and_handed_over(app, make_user)
    [message] = _messages(app)
    assert (message.order_id, message.status) == (oid, "pending")
    with app.app_context():
        drain()
        drain()
    assert len(platform.uploads) == 1
    sent = platform.uploads[0]
    assert sent["order_key"] == {"order_number_type": 2, "transaction_id": "42005001"}
    assert sent["payer"] == {"openid": "o-buyer-5001"} and (sent["logistics_type"], sent["delivery_mode"]) == (1, 1)
    [parcel] = sent["shipping_list"]
    assert (parcel["express_company"], parcel["tracking_no"]) == ("SF", "SF1402983377120")
    assert parcel["contact"] == {"receiver_contact": "139****5678"}
    assert _messages(app)[0].status == "sent"


def test_write_back_is_retried_after_a_server_error(app, make_user, platform, wxshop):
    platform.add(order("5001", int(time.time()) - 10))
    _pulled_and_handed_over(app, make_user)
    platform.fail_on[UPLOAD] = [500]
    with app.app_context():
        drain()
        [message] = _messages(app)
        assert (message.status, message.attempts, platform.uploads) == ("pending", 1, [])
        drain(now=utcnow() + timedelta(seconds=11))  # after the first backoff (10 s)
        outcomes = [a.outcome for a in db.session.scalars(select(DeliveryAttempt).where(
            DeliveryAttempt.message_id == message.id).order_by(DeliveryAttempt.id))]
    assert outcomes == ["retry", "ok"]
    assert len(platform.uploads) == 1 and _messages(app)[0].status == "sent"


def test_a_refused_write_back_fails_without_retrying(app, make_user, platform, wxshop):
    platform.add(order("5001", int(time.time()) - 10))
    _pulled_and_handed_over(app, make_user)
    platform.orders["5001"]["order_detail"]["pay_info"]["transaction_id"] = "unknown"  # 支付单不存在
    with app.app_context():
        drain()
    [message] = _messages(app)
    assert message.status == "failed" and "10060001" in message.last_error and platform.uploads == []


def test_orders_not_pulled_queue_no_write_back(app, make_user, platform, wxshop):
    from tests.factories import make_order
    admin = make_user("warehouse", "picker")
    with app.app_context():
        oid = make_order().id
        for state in ("confirmed", "in_production", "outbound"):
            step(oid, state)
        warehouse.hand_over(db.session.get(Order, oid).order_no, "顺丰", "SF1402983377999", actor=db.session.merge(admin))
        db.session.commit()
    assert _messages(app) == []
