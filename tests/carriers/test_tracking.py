"""Parcel tracking at 快递100: subscribe on hand-over, signed callbacks in time order, 签收 completes, problems alert."""
import json
from datetime import timedelta

from sqlalchemy import select

from tests.carriers.fake_kuaidi100 import KEY, callback_form, last_result
from tests.carriers.fake_robots import text_of
from tests.factories import make_order
from tests.notify.helpers import drain, step
from webapp.carriers.tracking import services
from webapp.carriers.tracking.models import Parcel, ParcelEvent
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify.models import OutboxMessage
from webapp.orders.models import Order, OrderTransition

NUMBER = "SF1402983377120"
CALLBACK = "/carriers/kuaidi100/callback"


def _ship(app, carrier="顺丰速运", number=NUMBER) -> int:
    with app.app_context():
        oid = make_order().id
        for state in ("confirmed", "in_production", "outbound"):
            step(oid, state)
        step(oid, "in_transit", carrier=carrier, tracking_no=number)
        drain()
        return oid


def _scans(app, oid) -> list[str]:
    with app.app_context():
        parcel = db.session.scalar(select(Parcel).where(Parcel.order_id == oid))
        return [e.context for e in db.session.scalars(select(ParcelEvent).where(ParcelEvent.parcel_id == parcel.id)
                                                      .order_by(ParcelEvent.at))]


def test_hand_over_subscribes_once_with_callback_salt_and_phone(app, kuaidi100):
    oid = _ship(app)
    with app.app_context():
        drain(now=utcnow() + timedelta(hours=2))
        assert db.session.scalar(select(Parcel.subscribed_at).where(Parcel.order_id == oid)) is not None
    [sub] = kuaidi100.subscriptions
    assert (sub["company"], sub["number"], sub["key"]) == ("shunfeng", NUMBER, KEY)
    assert sub["parameters"]["callbackurl"] == "https://shop.example.cn/carriers/kuaidi100/callback"
    assert sub["parameters"]["salt"] and sub["parameters"]["phone"] == "8000"


def test_without_an_aggregator_the_manual_hand_over_stays(app):
    oid = _ship(app)
    with app.app_context():
        assert db.session.scalar(select(Parcel).where(Parcel.order_id == oid)) is None
        assert db.session.get(Order, oid).status == "in_transit"


def test_a_refused_subscription_is_given_up_and_a_server_error_retried(app, kuaidi100):
    kuaidi100.answers += ["600", "500"]
    _ship(app)
    _ship(app, number="SF0000000000001")
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage.status).where(OutboxMessage.medium == "tracking")
                                  .order_by(OutboxMessage.id)).all()
    assert rows == ["failed", "pending"]


def test_bad_signature_and_unknown_numbers_are_refused(app, client, kuaidi100):
    oid = _ship(app)
    form = callback_form(last_result(NUMBER, "0", [("2026-12-01 10:00:00", "已揽收")]), salt="not-ours")
    assert client.post(CALLBACK, data=form).status_code == 400
    unknown = callback_form(last_result("SF999", "0", [("2026-12-01 10:00:00", "已揽收")]))
    assert client.post(CALLBACK, data=unknown).status_code == 404
    assert _scans(app, oid) == []


def test_callbacks_keep_scans_in_time_order_and_ignore_duplicates(app, client, kuaidi100):
    oid = _ship(app)
    first = [("2026-12-01 10:00:00", "顺丰速运 已收取快件", "揽收", "浙江省杭州市"),
             ("2026-12-01 18:00:00", "快件到达 杭州转运中心", "在途", "浙江省杭州市")]
    resp = client.post(CALLBACK, data=callback_form(last_result(NUMBER, "0", first)))
    assert resp.status_code == 200 and resp.get_json() == {"result": True, "returnCode": "200", "message": "成功"}
    late = [first[1], ("2026-12-01 14:00:00", "快件在 杭州西湖营业点 完成分拣"), first[0]]
    client.post(CALLBACK, data=callback_form(last_result(NUMBER, "0", late)))
    client.post(CALLBACK, data=callback_form(last_result(NUMBER, "0", late)))
    assert _scans(app, oid) == ["顺丰速运 已收取快件", "快件在 杭州西湖营业点 完成分拣", "快件到达 杭州转运中心"]


def test_signed_for_moves_the_order_to_completed_as_the_system(app, client, kuaidi100):
    oid = _ship(app)
    done = [("2026-12-02 09:00:00", "派件中"), ("2026-12-02 11:30:00", "已签收，签收人：本人", "签收")]
    assert client.post(CALLBACK, data=callback_form(last_result(NUMBER, "3", done))).status_code == 200
    with app.app_context():
        assert db.session.get(Order, oid).status == "completed"
        last = db.session.scalar(select(OrderTransition).where(OrderTransition.order_id == oid)
                                 .order_by(OrderTransition.id.desc()))
        assert (last.to_state, last.actor_id, last.via) == ("completed", None, "system")
    client.post(CALLBACK, data=callback_form(last_result(NUMBER, "3", done)))  # a repeat changes nothing


def test_a_problem_alerts_the_robot_and_lists_the_order_for_support(app, client, kuaidi100, robots_api, robot,
                                                                   login_as):
    app.config["OUTBOUND_ALLOW"] = f"{robots_api.allow},{kuaidi100.url.split('//')[1]}"
    robot("wecom", ["carrier.problem"])
    oid = _ship(app)
    stuck = [("2026-12-02 09:00:00", "收件人电话无法接通，快件滞留", "疑难")]
    client.post(CALLBACK, data=callback_form(last_result(NUMBER, "2", stuck)))
    with app.app_context():
        drain()
        order_no = db.session.get(Order, oid).order_no
    [request] = robots_api.accepted()
    assert order_no in text_of(request) and "疑难" in text_of(request)
    login_as("support")
    page = client.get("/carriers/problems").get_data(as_text=True)
    assert order_no in page and "疑难" in page


def test_the_problem_list_is_for_support_and_aftersales_roles(client, login_as):
    login_as("warehouse")
    assert client.get("/carriers/problems").status_code == 403


def test_a_silent_parcel_is_polled_after_a_day(app, kuaidi100):
    oid = _ship(app)
    kuaidi100.results[NUMBER] = last_result(NUMBER, "0", [("2026-12-01 10:00:00", "已揽收"),
                                                          ("2026-12-02 08:00:00", "运输中")])
    later = utcnow() + timedelta(hours=25)
    with app.app_context():
        assert services.queue_polls(utcnow() + timedelta(hours=1)) == 0
        assert services.queue_polls(later) == 1
        assert services.queue_polls(later) == 0  # one poll per hour at most
        drain(now=later)
    [query] = kuaidi100.queries
    assert json.loads(query["param"])["num"] == NUMBER
    assert _scans(app, oid) == ["已揽收", "运输中"]
