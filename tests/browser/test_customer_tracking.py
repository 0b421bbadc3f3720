"""The customer page on a Pixel 7: courier scans, the arrival estimate, items, the shop's phone; EN stays on the page."""
from datetime import timedelta

from tests.browser.conftest import screenshot, small_targets
from tests.factories import make_order
from tests.notify.helpers import step
from webapp.carriers.tracking import services as parcels
from webapp.carriers.tracking.adapters import CN, read_result
from webapp.carriers.tracking.models import Parcel
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.tracking import services


def _tracked(live_server) -> str:
    app = live_server.app
    app.config.update(SHOP_NAME="小林茶庄", SHOP_PHONE="0571-8888-6666")
    at = utcnow() - timedelta(hours=20)
    with app.app_context():
        oid = make_order(at=at - timedelta(hours=6), customer_name="王小明").id
        for i, state in enumerate(("confirmed", "in_production", "outbound")):
            step(oid, state, at=at - timedelta(hours=5 - i))
        step(oid, "in_transit", at=at, carrier="顺丰", tracking_no="SF1402983377120")
        order = db.session.get(Order, oid)
        parcel = Parcel(order_id=oid, carrier="顺丰", company="shunfeng", tracking_no="SF1402983377120")
        db.session.add(parcel)
        db.session.flush()
        when = [(at + timedelta(hours=h)).astimezone(CN).strftime("%Y-%m-%d %H:%M:%S") for h in (1, 8, 16)]
        parcels.apply(parcel, read_result({"com": "shunfeng", "nu": "SF1402983377120", "state": "0", "data": [
            {"time": when[2], "context": "快件到达【上海浦东转运中心】", "areaName": "上海市"},
            {"time": when[1], "context": "快件已发车，下一站【上海浦东转运中心】", "areaName": "浙江省杭州市"},
            {"time": when[0], "context": "顺丰速运 已收取快件", "areaName": "浙江省杭州市"}]}))
        token = services.token_for(order)
        db.session.commit()
    return f"{live_server.url}/t/{token}"


def test_customer_sees_where_and_when_on_a_phone(live_server, phone):
    url = _tracked(live_server)
    phone.goto(url)
    text = phone.inner_text("body")
    assert "快件到达【上海浦东转运中心】" in text and "上海市" in text and "预计" in text
    assert "保温杯 500ml" in text and "小林茶庄" in text and "OrderHub" not in text and "¥" not in text
    assert small_targets(phone) == []
    screenshot(phone, "customer-tracking-pixel7")
    phone.click("text=EN")
    assert phone.url.startswith(url) and "Expected to arrive on" in phone.inner_text("body")
