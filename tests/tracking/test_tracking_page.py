"""GET /t/<token>: no login, masked customer, progress with courier, no amounts; forged or revoked → 404."""
from datetime import timedelta

import pytest

from tests.factories import make_order
from tests.notify.helpers import step
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.tracking import services


@pytest.fixture
def shipped(app):
    """An order that went confirmed → in production → outbound → in transit, and its token."""
    t0 = utcnow() - timedelta(days=2)
    with app.app_context():
        oid = make_order(at=t0, phone="+8613800138000", customer_name="王小明").id
        for i, to in enumerate(("confirmed", "in_production", "outbound")):
            step(oid, to, at=t0 + timedelta(hours=i + 1))
        step(oid, "in_transit", at=t0 + timedelta(hours=5), carrier="顺丰", tracking_no="SF1234567890")
        order = db.session.get(Order, oid)
        token = services.token_for(order)
        db.session.commit()
        return oid, token, order.order_no, str(order.total_amount)


def test_shows_masked_progress_and_courier_without_amounts(client, shipped):
    _oid, token, order_no, total = shipped
    resp = client.get(f"/t/{token}")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert order_no in page and "王**" in page and "138****8000" in page
    assert "王小明" not in page and "13800138000" not in page
    assert "顺丰" in page and "SF1234567890" in page
    assert "¥" not in page and total not in page
    for step_name in ("已确认", "已出库", "运输中", "已送达"):
        assert step_name in page
    assert page.count('class="done') == 5  # placed, confirmed, prepared, left warehouse, on the way
    assert "current" in page and resp.headers["Cache-Control"] == "no-store"


def test_is_in_chinese_even_for_an_english_browser(client, shipped):
    page = client.get(f"/t/{shipped[1]}", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert "已出库" in page


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-10] + ("A" if t[-10] != "A" else "B") + t[-9:],  # signature changed
    lambda t: "999." + t.split(".", 1)[1],                       # another order id, same signature
    lambda t: t.split(".")[0] + ".guess." + t.rsplit(".", 1)[1],  # nonce guessed
    lambda t: "nonsense",
])
def test_forged_tokens_get_a_plain_404(client, shipped, mangle):
    assert client.get(f"/t/{mangle(shipped[1])}").status_code == 404


def test_revoked_link_is_404_and_a_new_link_works(app, client, shipped):
    oid, token, *_ = shipped
    with app.app_context():
        order = db.session.get(Order, oid)
        services.revoke(order)
        db.session.commit()
        assert client.get(f"/t/{token}").status_code == 404
        fresh = services.token_for(order)
        db.session.commit()
    assert fresh != token and client.get(f"/t/{fresh}").status_code == 200
    assert client.get(f"/t/{token}").status_code == 404


def test_a_deleted_order_is_not_shown(app, client, shipped):
    oid, token, *_ = shipped
    with app.app_context():
        db.session.get(Order, oid).deleted_at = utcnow()
        db.session.commit()
    assert client.get(f"/t/{token}").status_code == 404


def test_tokens_differ_per_order_and_are_stable(app, shipped):
    with app.app_context():
        other = make_order()
        a, b = services.token_for(db.session.get(Order, shipped[0])), services.token_for(other)
    assert a == shipped[1] and a != b and len(b) > 40


def test_cancelled_order_shows_where_it_stopped(app, client):
    with app.app_context():
        oid = make_order().id
        step(oid, "cancelled")
        token = services.token_for(db.session.get(Order, oid))
        db.session.commit()
    page = client.get(f"/t/{token}").get_data(as_text=True)
    assert "已取消" in page and "运输中" not in page


def test_name_masking():
    assert services.mask_name("王小明") == "王**" and services.mask_name("李") == "李*"
