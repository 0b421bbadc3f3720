"""Order events reach the right group robots through the outbox: once, within 20 a minute, nothing lost."""
import re
from datetime import timedelta

from sqlalchemy import func, select

from tests.carriers.fake_robots import text_of
from tests.factories import make_order
from tests.notify.helpers import drain, step
from webapp.carriers.models import RobotAlert, RobotSend
from webapp.carriers.robots import alerts, sender
from webapp.carriers.robots.services import send_test
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import overdue
from webapp.notify.models import OutboxMessage


def _statuses(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage.status).where(OutboxMessage.medium == "robot")
                                       .order_by(OutboxMessage.id)))


def test_new_order_reaches_its_regions_wecom_group_with_link_and_no_amount(app, robots_api, robot):
    app.config["BASE_URL"] = "https://shop.example.cn"
    robot("wecom", ["order.created"], ["east"])
    robot("wecom", ["order.created"], ["north"])
    with app.app_context():
        order_no = make_order().order_no  # 浙江 → east
        drain()
    [request] = robots_api.accepted()
    text = text_of(request)
    assert f"(https://shop.example.cn/orders/{order_no})" in text and "华东" in text
    assert "¥" not in text and "258" not in text  # the warehouse audience may not read amounts


def test_an_audience_that_reads_amounts_sees_them(app, robots_api, robot):
    robot("dingtalk", ["order.created"], audience="manager")
    with app.app_context():
        make_order()
        drain()
    [request] = robots_api.accepted()
    assert "258.00" in text_of(request) and request["query"]["sign"]


def test_each_event_reaches_only_the_robots_that_hear_it(app, robots_api, robot):
    robot("feishu", ["order.awaiting_approval"])
    robot("wecom", ["order.shipped"])
    with app.app_context():
        oid = make_order().id
        step(oid, "awaiting_approval")
        step(oid, "confirmed")
        drain()
    assert [r["kind"] for r in robots_api.accepted()] == ["feishu"]
    assert "approval" in text_of(robots_api.accepted()[0]) or "审批" in text_of(robots_api.accepted()[0])


def test_a_wrong_secret_is_shown_and_retried_not_marked_sent(app, robots_api, robot):
    rid = robot("dingtalk", ["order.created"], secret="SECwrong")
    with app.app_context():
        make_order()
        drain()
        alert = db.session.scalar(select(RobotAlert).where(RobotAlert.robot_id == rid))
        assert alert.send_id is None and alert.message.status == "pending"
        assert "310000" in alert.message.last_error and "sign not match" in alert.message.last_error
    assert robots_api.received[0]["code"] == 310000


def test_a_vendor_rate_limit_answer_waits_a_minute_then_delivers_once(app, robots_api, robot):
    robot("wecom", ["order.created"])
    robots_api.answers.append("rate")
    now = utcnow()
    with app.app_context():
        make_order()
        drain(now=now)
        assert _statuses(app) == ["pending"]
        drain(now=now + timedelta(seconds=30))
        assert len(robots_api.received) == 1
        drain(now=now + timedelta(seconds=61))
        drain(now=now + timedelta(seconds=200))
    assert [r["code"] for r in robots_api.received] == [45009, 0]
    assert _statuses(app) == ["sent"]


def test_a_burst_of_200_stays_within_20_a_minute_and_loses_nothing(app, robots_api, robot):
    rid = robot("wecom", ["order.created"], audience="manager")
    now = utcnow()
    with app.app_context():
        order = make_order()
        robot_row = db.session.get(alerts.Robot, rid)
        for n in range(200):
            alerts.queue(robot_row, "order.created", order, key=f"burst:{n}")
        db.session.commit()
        for second in range(0, 180, 5):
            drain(now=now + timedelta(seconds=second))
        sends = db.session.scalars(select(RobotSend.at).where(RobotSend.robot_id == rid)).all()
        carried = db.session.scalar(select(func.count()).select_from(RobotAlert)
                                    .join(RobotSend).where(RobotSend.ok.is_(True)))
    assert carried == 201
    assert all(sum(1 for t in sends if s <= t < s + sender.WINDOW) <= sender.LIMIT for s in sends)
    lines = sum(len(re.findall(r"^- \[", text_of(r), re.M)) or 1 for r in robots_api.accepted())
    assert len(robots_api.accepted()) <= sender.LIMIT and lines == 201
    assert all(r["code"] == 0 for r in robots_api.received)  # every digest within WeCom's 4,096 bytes
    assert set(_statuses(app)) <= {"sent", "skipped"}


def test_draining_again_never_sends_twice(app, robots_api, robot):
    robot("feishu", ["order.created"])
    with app.app_context():
        make_order()
        drain()
        drain(now=utcnow() + timedelta(hours=1))
    assert len(robots_api.received) == 1


def test_a_test_message_needs_no_order(app, robots_api, robot):
    rid = robot("feishu", ["order.created"])
    app.config["SHOP_NAME"] = "小林茶庄"
    with app.app_context():
        send_test(db.session.get(alerts.Robot, rid))
        db.session.commit()
        drain()
    [request] = robots_api.accepted()
    assert "小林茶庄" in text_of(request) and "OrderHub" not in text_of(request)


def test_overdue_reaches_the_managers_group_once_per_breach(app, robots_api, robot):
    robot("wecom", ["order.overdue"], audience="manager")
    t0 = utcnow() - timedelta(days=10)
    with app.app_context():
        oid = make_order(at=t0).id
        step(oid, "confirmed", at=t0)
        overdue.sweep(now=t0 + timedelta(hours=49))
        overdue.sweep(now=t0 + timedelta(hours=50))
        drain()
    [request] = robots_api.accepted()
    assert "超时" in text_of(request)
