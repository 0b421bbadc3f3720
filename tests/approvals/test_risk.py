"""The risk queue: each rule holds an order, a held order cannot be confirmed, a reviewer clears or cancels."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.approvals.conftest import step
from tests.factories import make_order
from webapp.approvals import holds
from webapp.audit.models import AuditEntry
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders.errors import Invalid, StepRefused
from webapp.orders.models import Order


@pytest.mark.parametrize("address, ok", [
    ("浙江省杭州市西湖区文三路 90 号", True), ("北京市朝阳区建国路 1 号", True), ("上海市浦东新区世纪大道 8 号", True),
    ("内蒙古自治区呼和浩特市土默特左旗察素齐镇", True), ("广东省广州市从化区", True), ("北京朝阳区建国路 1 号", True),
    ("浙江省杭州市文三路 90 号", False), ("杭州文三路", False), ("江苏省南京市", False), ("", False)])
def test_district_detection(address, ok):
    assert holds.has_district(address) is ok


def _kinds(order):
    return [h.kind for h in holds.open_holds(order)]


def test_vague_address_holds_and_a_held_order_cannot_be_confirmed(ctx, people, submit):
    order = submit(1, address="浙江省杭州市文三路 90 号")
    assert _kinds(order) == ["vague_address"]
    with pytest.raises(StepRefused) as refused:
        step(order.order_no, "confirmed", people["sales"])
    assert refused.value.code == "risk_hold" and refused.value.status == 422
    assert "district" in str(refused.value.message) or "区" in str(refused.value.message)
    hold = holds.open_holds(order)[0]
    with pytest.raises(Invalid):
        holds.resolve(hold.id, "clear", actor=people["boss"], note=" ")
    holds.resolve(hold.id, "clear", actor=people["boss"], note="电话核实：西湖区")
    db.session.commit()
    assert step(order.order_no, "confirmed", people["sales"]).status == "confirmed"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "risk_clear"))
    assert (entry.actor, entry.old, entry.detail) == ("boss", "vague_address", "电话核实：西湖区")


def test_a_held_order_can_wait_for_approval_but_the_last_level_is_refused(ctx, people, submit):
    from tests.approvals.conftest import decide
    order = submit(60, address="浙江省杭州市文三路 90 号")
    step(order.order_no, "awaiting_approval", people["sales"])
    with pytest.raises(StepRefused) as refused:
        decide(order.order_no, "approve", people["boss"])
    assert refused.value.code == "risk_hold"
    assert db.session.get(Order, order.id).status == "awaiting_approval"


def test_the_fourth_order_of_a_phone_within_24_hours_is_held(ctx, people, submit):
    made = [submit(1, phone="13900139000") for _ in range(4)]
    assert [_kinds(o) for o in made] == [[], [], [], ["phone_frequency"]]
    assert _kinds(submit(1, phone="13700137000")) == []


def test_old_orders_do_not_count_towards_the_frequency(ctx, people, submit):
    for _ in range(3):
        make_order(phone="+8613900139000", at=utcnow() - timedelta(hours=25))
    assert _kinds(submit(1, phone="13900139000")) == []


def test_cross_channel_duplicate_either_way_round(ctx, people, submit):
    first = submit(2, phone="13600136000", channel="web")
    assert _kinds(first) == []
    second = submit(2, phone="13600136000", channel="shop", via="intake")
    assert _kinds(second) == ["cross_channel_duplicate"] and first.order_no in holds.open_holds(second)[0].detail
    assert _kinds(submit(3, phone="13600136000", channel="miniprogram")) == []  # other items


def test_orders_the_system_writes_are_not_screened(ctx, people):
    order = make_order(address="杭州文三路")
    assert _kinds(order) == []


def test_the_risk_queue_page_clear_and_cancel(app, client, login_as, ctx, people, submit):
    a = submit(1, address="浙江省杭州市文三路 90 号")
    b = submit(1, address="江苏省南京市中山路 100 号")
    login_as("manager")
    page = client.get("/risk")
    assert page.status_code == 200 and a.order_no in page.get_data(as_text=True)
    hold_a, hold_b = holds.open_holds(a)[0], holds.open_holds(b)[0]
    assert client.post(f"/risk/{hold_a.id}", data={"outcome": "clear", "note": "已核实"}).status_code == 303
    assert client.post(f"/risk/{hold_b.id}", data={"outcome": "cancel", "note": "假地址"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Order, b.id).status == "cancelled" and not holds.open_holds(a)
    shown = client.get(f"/orders/{b.order_no}").get_data(as_text=True)
    assert 'data-testid="hold-vague_address"' in shown and "假地址" in shown


def test_the_risk_queue_is_for_reviewers_only(client, login_as):
    login_as("sales")
    assert client.get("/risk").status_code == 403


def test_a_hold_is_dealt_with_once(ctx, people, submit):
    from webapp.orders.errors import Conflict
    order = submit(1, address="浙江省杭州市文三路 90 号")
    hold = holds.open_holds(order)[0]
    holds.resolve(hold.id, "clear", actor=people["boss"], note="已核实")
    db.session.commit()
    with pytest.raises(Conflict):
        holds.resolve(hold.id, "cancel", actor=people["boss2"], note="迟到的取消")
    db.session.rollback()
    assert db.session.get(Order, order.id).status == "pending_payment"
