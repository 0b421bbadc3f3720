"""E-waybills: outbound (备货完成) asks 顺丰 or 菜鸟 once, stores the number as tracking_no, refusals shown, retries safe."""
import json
from datetime import timedelta
from urllib.parse import quote_plus

import pytest
from sqlalchemy import func, select

from tests.carriers.fake_waybills import SF_CHECKWORD, md5_b64
from tests.factories import make_order
from tests.notify.helpers import drain, step
from webapp.carriers.waybills.models import Waybill
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify.models import OutboxMessage
from webapp.orders.models import Order


def _outbound(app) -> int:
    with app.app_context():
        oid = make_order().id
        for state in ("confirmed", "in_production", "outbound"):
            step(oid, state)
        return oid


def _waybill(app, oid) -> Waybill:
    with app.app_context():
        found = db.session.scalar(select(Waybill).where(Waybill.order_id == oid))
        db.session.expunge_all()
        return found


def _drain_later(app, minutes=10):
    with app.app_context():
        drain(now=utcnow() + timedelta(minutes=minutes))


def test_stock_ready_gets_one_waybill_and_stores_it_as_tracking_no(app, waybill_vendor):
    kind, fake, requests = waybill_vendor
    oid = _outbound(app)
    with app.app_context():
        drain()
        drain()
        order = db.session.get(Order, oid)
        assert order.status == "outbound"
        assert (order.carrier, order.tracking_no) == (("顺丰", fake.issued[order.order_no]) if kind == "sf"
                                                      else ("圆通", fake.issued[order.order_no]))
    assert _waybill(app, oid).status == "ok"
    assert len(requests) == 1 and len(fake.issued) == 1


def test_sf_request_is_signed_and_names_both_parties(app, carriers_api):
    app.config["WAYBILL_CARRIER"] = "sf"
    oid = _outbound(app)
    with app.app_context():
        drain()
        no = db.session.get(Order, oid).order_no
    [form] = carriers_api.sf_requests
    assert form["serviceCode"] == "EXP_RECE_CREATE_ORDER" and form["partnerID"] == "OH_TEST"
    assert form["msgDigest"] == md5_b64(quote_plus(form["msgData"] + form["timestamp"] + SF_CHECKWORD))
    data = json.loads(form["msgData"])
    sender, recipient = data["contactInfoList"]
    assert data["orderId"] == no and data["cargoDetails"] == [{"name": "保温杯 500ml", "count": 2}]
    assert (sender["contactType"], sender["contact"]) == (1, "杭州小店")
    assert (recipient["contactType"], recipient["contact"], recipient["mobile"]) == (2, "张三华", "+8613800138000")


def test_without_a_configured_adapter_nothing_is_asked(app, carriers_api):
    oid = _outbound(app)
    with app.app_context():
        drain()
        assert db.session.scalar(select(func.count(Waybill.id))) == 0
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.medium == "waybill")) == 0
        assert not db.session.get(Order, oid).tracking_no
    assert carriers_api.sf_requests == [] and carriers_api.cn_requests == []


REFUSALS = [  # vendor, canned answer, shown code, words on the screen
    ("sf", {"apiResultCode": "A1006", "apiErrorMsg": "数字签名无效", "apiResultData": None}, "A1006", "check word"),
    ("sf", {"apiResultCode": "A1000", "apiResultData": json.dumps(
        {"success": False, "errorCode": "1010", "errorMsg": "寄件地址不能为空"})}, "1010", "寄件地址不能为空"),
    ("cainiao", {"success": "false", "errorCode": "S04", "errorMsg": "签名校验失败"}, "S04", "签名校验失败"),
]


@pytest.mark.parametrize("kind, answer, code, words", REFUSALS)
def test_a_refused_waybill_is_shown_in_plain_words_and_the_manual_path_stays(app, client, login_as, carriers_api,
                                                                             kind, answer, code, words):
    app.config["WAYBILL_CARRIER"] = kind
    (carriers_api.sf_answers if kind == "sf" else carriers_api.cn_answers).append(answer)
    oid = _outbound(app)
    with app.app_context():
        drain()
        no = db.session.get(Order, oid).order_no
        assert not db.session.get(Order, oid).tracking_no
    wb = _waybill(app, oid)
    assert (wb.status, wb.code) == ("failed", code)
    login_as("warehouse", regions=["east"])
    slot = client.get(f"/carriers/waybills/{no}").get_data(as_text=True)
    assert 'data-testid="waybill-error"' in slot and words in slot and code in slot
    assert 'data-testid="waybill-ask"' in slot
    handover = client.get(f"/pack/{no}/handover")
    assert handover.status_code == 200  # typing the courier's own number still works


TRANSIENT = [("sf", ("http", 500)), ("sf", ("http", 429)), ("sf", {"apiResultCode": "A1009", "apiErrorMsg": "目标服务异常"}),
             ("cainiao", ("http", 503)), ("cainiao", {"success": "false", "errorCode": "S01", "errorMsg": "系统繁忙"})]


@pytest.mark.parametrize("kind, answer", TRANSIENT)
def test_an_outage_is_retried_by_the_outbox_and_issues_one_waybill(app, carriers_api, kind, answer):
    app.config["WAYBILL_CARRIER"] = kind
    (carriers_api.sf_answers if kind == "sf" else carriers_api.cn_answers).append(answer)
    oid = _outbound(app)
    with app.app_context():
        drain()
    assert _waybill(app, oid).status == "pending"
    _drain_later(app)
    with app.app_context():
        order = db.session.get(Order, oid)
        assert order.tracking_no == carriers_api.issued[order.order_no]
    assert len(carriers_api.issued) == 1


@pytest.mark.parametrize("kind", ["sf", "cainiao"])
def test_a_lost_answer_is_asked_again_without_a_second_waybill(app, carriers_api, kind):
    app.config["WAYBILL_CARRIER"] = kind
    (carriers_api.sf_answers if kind == "sf" else carriers_api.cn_answers).append(("lost", 504))
    oid = _outbound(app)
    with app.app_context():
        drain()
    _drain_later(app)
    with app.app_context():
        order = db.session.get(Order, oid)
        assert order.tracking_no == carriers_api.issued[order.order_no]
    assert len(carriers_api.issued) == 1
    if kind == "sf":  # the retry was told "重复下单" (8016) and looked the number up
        assert [f["serviceCode"] for f in carriers_api.sf_requests] == [
            "EXP_RECE_CREATE_ORDER", "EXP_RECE_CREATE_ORDER", "EXP_RECE_SEARCH_ORDER_RESP"]


def test_asking_again_after_a_refusal_sends_one_new_round(app, client, login_as, carriers_api):
    app.config["WAYBILL_CARRIER"] = "sf"
    carriers_api.sf_answers.append({"apiResultCode": "A1004", "apiErrorMsg": "无对应服务权限", "apiResultData": None})
    oid = _outbound(app)
    with app.app_context():
        drain()
        no = db.session.get(Order, oid).order_no
    login_as("warehouse", regions=["east"])
    for _ in range(2):  # a double tap queues one round
        assert client.post(f"/carriers/waybills/{no}", headers={"HX-Request": "true"}).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.medium == "waybill")) == 2
        drain()
    wb = _waybill(app, oid)
    assert (wb.status, wb.round, wb.waybill_no) == ("ok", 2, carriers_api.issued[no])
    slot = client.get(f"/carriers/waybills/{no}").get_data(as_text=True)
    assert wb.waybill_no in slot and f"/carriers/waybills/{no}/label.pdf" in slot


@pytest.mark.parametrize("role, status", [("warehouse", 200), ("manager", 200), ("finance", 403), ("sales", 403)])
def test_only_roles_that_write_tracking_numbers_may_ask(app, client, login_as, carriers_api, role, status):
    app.config["WAYBILL_CARRIER"] = "sf"
    carriers_api.sf_answers.append(("http", 400))
    oid = _outbound(app)
    with app.app_context():
        drain()
        no = db.session.get(Order, oid).order_no
    login_as(role, regions=["east"])
    resp = client.post(f"/carriers/waybills/{no}", headers={"HX-Request": "true"})
    assert resp.status_code in ((status,) if status != 403 else (403, 404))
    assert (_waybill(app, oid).round == 2) == (status == 200)


def test_hand_over_screen_is_filled_with_the_waybill(app, client, login_as, carriers_api):
    app.config["WAYBILL_CARRIER"] = "sf"
    oid = _outbound(app)
    with app.app_context():
        drain()
        order = db.session.get(Order, oid)
        no, number = order.order_no, order.tracking_no
    login_as("warehouse", regions=["east"])
    page = client.get(f"/pack/{no}/handover").get_data(as_text=True)
    assert f'value="{number}"' in page and 'value="顺丰" checked' in page
    done = client.get(f"/pack/{no}/done").get_data(as_text=True)
    assert f"/carriers/waybills/{no}" in done
