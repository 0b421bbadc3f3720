"""The blocked-phone and unusual-amount risk rules, the blocklist screen, and county-level cities."""
import pytest
from sqlalchemy import select

from tests.approvals.conftest import step
from tests.factories import make_user
from webapp.approvals import holds, riskchecks
from webapp.approvals.models import BlockedPhone
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.orders.errors import StepRefused

PASSWORD = "correct-horse-1"


def _kinds(order):
    return [h.kind for h in holds.open_holds(order)]


@pytest.mark.parametrize("address, ok", [
    ("江苏省昆山市玉山镇人民路 8 号", True), ("广东省东莞市长安镇振安路 1 号", True),
    ("江苏省昆山市人民路 8 号", False), ("江苏省苏州市人民路 1 号", False)])
def test_county_level_cities_with_a_township_pass(address, ok):
    assert holds.has_district(address) is ok


def test_a_blocked_phone_is_held_and_cannot_be_confirmed(ctx, people, submit):
    riskchecks.block("138 0013 8111", "拒收三次", actor=people["boss"])
    db.session.commit()
    order = submit(1, phone="13800138111")
    assert _kinds(order) == ["blocked_phone"] and holds.open_holds(order)[0].detail == "拒收三次"
    with pytest.raises(StepRefused) as refused:
        step(order.order_no, "confirmed", people["sales"])
    assert refused.value.code == "risk_hold"
    assert _kinds(submit(1, phone="13800138112")) == []


@pytest.mark.parametrize("history, thousands, held", [
    ([1, 1, 1], 5, True),      # five times the usual
    ([1, 1, 1], 4, False),
    ([1, 1], 50, False),       # too little history to know what is usual
    ([2, 2, 2], 9, False),
])
def test_an_amount_far_above_the_customers_usual_is_held(ctx, people, submit, history, thousands, held):
    for n in history:
        submit(n, phone="13700137999")
    order = submit(thousands, phone="13700137999")
    assert ("unusual_amount" in _kinds(order)) is held


@pytest.mark.parametrize("phone, reason, status", [
    ("13800138222", "", 422), ("12345", "假号码", 422), ("13800138222", "恶意下单", 303)])
def test_blocklist_screen_refuses_bad_input_and_audits(app, client, ctx, people, phone, reason, status):
    reviewer = make_user("manager", "reviewer")
    assert client.post("/login", data={"username": reviewer.username, "password": PASSWORD}).status_code == 302
    resp = client.post("/risk/blocked", data={"phone": phone, "reason": reason})
    assert resp.status_code == status
    db.session.expire_all()
    row = db.session.scalar(select(BlockedPhone))
    assert (row is not None) is (status == 303)
    if row is not None:
        assert client.post(f"/risk/blocked/{row.id}/remove").status_code == 303
        actions = [e.action for e in db.session.scalars(select(AuditEntry).where(
            AuditEntry.field == "blocked_phone").order_by(AuditEntry.id))]
        assert actions == ["risk_block_phone", "risk_unblock_phone"]


def test_sales_cannot_open_the_blocklist(app, client, ctx, people):
    assert client.post("/login", data={"username": "sales", "password": PASSWORD}).status_code == 302
    assert client.get("/risk/blocked").status_code == 403
