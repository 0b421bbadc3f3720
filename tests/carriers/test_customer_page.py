"""The customer page /t/<token> answers where and when: courier scans, ETA, items, the shop's contact, language."""
from datetime import timedelta

from tests.carriers.fake_kuaidi100 import callback_form, last_result
from tests.factories import make_order
from tests.notify.helpers import step
from webapp.carriers.tracking import eta
from webapp.core.db import utcnow
from webapp.core.timefmt import fmt
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.tracking import services

NUMBER = "SF1402983377120"


def _shipped(app, at, number=NUMBER, transit_days=None) -> tuple[int, str]:
    """Make an order handed to 顺丰 at `at` (and completed transit_days later); return its id and token."""
    with app.app_context():
        oid = make_order(at=at - timedelta(hours=5)).id
        for i, state in enumerate(("confirmed", "in_production", "outbound")):
            step(oid, state, at=at - timedelta(hours=4 - i))
        step(oid, "in_transit", at=at, carrier="顺丰", tracking_no=number)
        if transit_days is not None:
            step(oid, "completed", at=at + timedelta(days=transit_days))
        token = services.token_for(db.session.get(Order, oid))
        db.session.commit()
        return oid, token


def test_page_shows_latest_scan_all_scans_items_and_the_shops_contact(app, client, kuaidi100):
    app.config.update(SHOP_NAME="小林茶庄", SHOP_PHONE="0571 8888 6666")
    _oid, token = _shipped(app, utcnow() - timedelta(hours=30))
    scans = [("2026-12-01 10:00:00", "顺丰速运 已收取快件", "揽收", "浙江省杭州市"),
             ("2026-12-01 20:00:00", "快件到达 上海转运中心", "在途", "上海市")]
    client.post("/carriers/kuaidi100/callback", data=callback_form(last_result(NUMBER, "0", scans)))
    page = client.get(f"/t/{token}").get_data(as_text=True)
    latest = page.split("track-latest")[1].split("</div>")[0]
    assert "快件到达 上海转运中心" in latest and "上海市" in latest
    assert "顺丰速运 已收取快件" in page and "kuaidi100.com/chaxun?com=shunfeng" in page
    assert "保温杯 500ml" in page and "× 2" in page and "129" not in page and "¥" not in page
    assert "小林茶庄" in page and 'href="tel:057188886666"' in page and "OrderHub" not in page


def test_eta_is_the_median_transit_of_our_own_orders_with_that_carrier_and_region(app, client):
    start = utcnow() - timedelta(days=20)
    for n, days in enumerate((1.5, 2, 2, 2.5, 4)):
        _shipped(app, start + timedelta(days=n), number=f"SF{n}", transit_days=days)
    handed = utcnow() - timedelta(hours=3)
    _oid, token = _shipped(app, handed)
    page = client.get(f"/t/{token}").get_data(as_text=True)
    with app.app_context():
        assert fmt(handed + timedelta(days=2), "%Y-%m-%d") in page.split("track-eta")[1]
    assert "5" in page.split("track-eta")[1].split("</div>")[0]


def test_without_history_the_eta_falls_back_to_the_default(app, client):
    handed = utcnow() - timedelta(hours=1)
    _oid, token = _shipped(app, handed)
    page = client.get(f"/t/{token}").get_data(as_text=True)
    with app.app_context():
        assert fmt(handed + timedelta(days=eta.DEFAULT_DAYS), "%Y-%m-%d") in page.split("track-eta")[1]


def test_the_language_switch_stays_on_the_page(app, client):
    _oid, token = _shipped(app, utcnow() - timedelta(hours=1))
    page = client.get(f"/t/{token}").get_data(as_text=True)
    assert f'href="/t/{token}?lang=en"' in page and "/login" not in page
    english = client.get(f"/t/{token}?lang=en").get_data(as_text=True)
    assert "On the way" in english and f'href="/t/{token}?lang=zh_CN"' in english
    assert "运输中" in client.get(f"/t/{token}").get_data(as_text=True)  # the staff session's language is untouched


def test_estimates_use_the_carrier_region_group_first():
    rows = [("shunfeng", "east", i, 1.0) for i in range(5)] + [("shunfeng", "north", 9 + i, 5.0) for i in range(5)]
    assert eta.median_days(rows, "shunfeng", "east")[::2] == (1.0, "carrier_region")
    assert eta.median_days(rows, "shunfeng", "south")[::2] == (3.0, "carrier")
    assert eta.median_days(rows[:4], "zhongtong", "east") == (eta.DEFAULT_DAYS, 0, "default")
