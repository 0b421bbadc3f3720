"""An order's history reads like sentences and shows only what the viewer may read."""
from decimal import Decimal

import pytest

from tests.factories import make_order
from webapp.access.policy import policy_for
from webapp.audit import services
from webapp.orders.history import history_for, matrix_key
from webapp.auth.models import User
from webapp.extensions import db

LINE = {"sku": "CUP-500", "name": "保温杯 500ml", "unit_price": Decimal("129.00"), "quantity": 2,
        "unit_cost": Decimal("52.30")}


def _story(app, make_user, role="sales", **kw):
    """An order changed by 王芳: address, a line, an amount, a cost figure, a state; returns (order_no, viewer)."""
    wang = make_user("sales", "wangfang")
    viewer = make_user(role, **kw)
    with app.app_context():
        wang = db.session.get(User, wang.id)
        wang.display_name = "王芳"
        order = make_order(salesperson=wang, status="confirmed")
        no = order.order_no
        services.record("update", actor=wang, via="web", order_no=no, field="address",
                        old="浙江省杭州市西湖区文三路 90 号", new="上海市浦东新区张江路 88 号")
        services.record("line_added", actor=wang, via="web", order_no=no, field="items", new=LINE)
        services.record("update", actor=wang, via="web", order_no=no, field="total_amount", old="258.00", new="387.00")
        services.record("update", actor=wang, via="web", order_no=no, field="profit", old="100.00", new="150.00")
        services.record("transition", actor=None, via="system", order_no=no, field="status", old="confirmed",
                        new="in_production")
        services.record("refused_write", actor=wang, via="api", order_no=no, field="profit,notes",
                        detail="forbidden: profit 999")
        db.session.commit()
    return no, viewer


def _texts(app, no, user_id):
    with app.app_context():
        return [i.text for i in history_for(no, policy_for(db.session.get(User, user_id)))]


def test_history_reads_as_sentences_in_chinese(app, make_user):
    no, viewer = _story(app, make_user, "manager")
    with app.test_request_context():
        texts = [i.text for i in history_for(no, policy_for(db.session.get(User, viewer.id)))]
    assert "王芳 把地址从 浙江省杭州市西湖区文三路 90 号 改为 上海市浦东新区张江路 88 号" in texts
    assert "王芳 添加了明细 保温杯 500ml × 2 @ ¥129.00 (成本 ¥52.30)" in texts
    assert "系统 把状态从 已确认 改为 生产中" in texts
    assert any(t.startswith("王芳 把应收") and t.endswith("从 ¥258.00 改为 ¥387.00") for t in texts)


def test_warehouse_history_has_no_amounts(app, make_user):
    no, viewer = _story(app, make_user, "warehouse", regions=["east"])
    with app.test_request_context():
        texts = " ".join(i.text for i in history_for(no, policy_for(db.session.get(User, viewer.id))))
    assert "¥" not in texts and "利润" not in texts and "应收" not in texts and "999" not in texts
    assert "保温杯 500ml × 2" in texts and "上海市浦东新区张江路 88 号" in texts
    assert "试图修改备注 — 已拒绝" in texts


def test_sales_history_has_prices_but_no_cost_or_profit(app, make_user):
    no, viewer = _story(app, make_user, "sales")
    with app.test_request_context():
        texts = " ".join(i.text for i in history_for(no, policy_for(db.session.get(User, viewer.id))))
    assert "@ ¥129.00" in texts and "¥387.00" in texts
    assert "成本" not in texts and "52.30" not in texts and "利润" not in texts


def test_history_endpoint_respects_row_scope_and_policy(app, client, login_as, make_user):
    no, _viewer = _story(app, make_user, "finance")
    login_as("sales")  # another salesperson: not their order
    assert client.get(f"/audit/orders/{no}/history").status_code == 404
    client.post("/logout")
    login_as("warehouse", regions=["east"])
    page = client.get(f"/audit/orders/{no}/history", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="order-history"' in page and "¥" not in page and "张江路" in page


@pytest.mark.parametrize("field,key", [("address", "address"), ("items", "items"), ("items.0.unit_cost", "unit_cost"),
                                       ("items[1].unit_price", "unit_price"), ("deleted_at", None), (None, None)])
def test_entry_fields_map_to_matrix_keys(field, key):
    assert matrix_key(field) == key


def test_partial_included_without_history_finds_it_for_the_viewer(app, make_user):
    from flask import render_template_string
    from flask_login import login_user
    no, viewer = _story(app, make_user, "warehouse", regions=["east"])
    with app.test_request_context():
        login_user(db.session.get(User, viewer.id))
        html = render_template_string('{% include "partials/orders/_history.html" %}', order={"order_no": no})
    assert "张江路 88 号" in html and "¥" not in html and 'class="timeline"' in html


def test_scans_and_photos_show_as_events_without_values(app, make_user):
    no, viewer = _story(app, make_user, "warehouse", regions=["east"])
    with app.app_context():
        services.record("scan", actor=None, via="web", order_no=no, field="scan", new="camera")
        services.record("photo", actor=None, via="web", order_no=no, field="photos", new="ab" * 32)
        db.session.commit()
    with app.test_request_context():
        texts = [i.text for i in history_for(no, policy_for(db.session.get(User, viewer.id)))]
    assert "系统 · 已扫码" in texts and "系统 · 拍照留证" in texts and not any("abab" in t for t in texts)
