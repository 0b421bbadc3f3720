"""A salesperson on a tablet pastes a 20-line 接龙 list, previews it and confirms 20 orders (screenshots)."""
import time

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import login, screenshot, small_targets
from tests.intake.cases import catalogue

pytestmark = pytest.mark.browser

LIST = "#接龙 周末水果团\n" + "\n".join(
    f"{i}. 群友{i} 桔子{i % 3 + 1}箱 138{i:08d} 浙江省杭州市西湖区文三路{i}号" for i in range(1, 21))


@pytest.fixture
def tablet(browser, playwright_session):
    """An iPad-sized browser context in Chinese."""
    context = browser.new_context(**playwright_session.devices["iPad (gen 7)"], locale="zh-CN")
    yield context.new_page()
    context.close()


def test_paste_preview_confirm_twenty_orders(live_server, tablet):
    from webapp.extensions import db
    from webapp.intake.models import ItemAlias
    from webapp.orders import services
    from webapp.orders.models import Order
    with live_server.app.app_context():
        for sku, name, price, cost in catalogue()["products"]:
            services.create_product(sku, name, price, cost)
        db.session.add(ItemAlias(alias="桔子", sku="JU-5KG"))
        db.session.commit()
    live_server.user("sales", username="wangfang")
    started = time.monotonic()
    login(tablet, live_server.url, "wangfang")
    tablet.goto(live_server.url + "/intake")
    assert small_targets(tablet) == []
    tablet.fill("[data-testid=jielong-text]", LIST)
    tablet.click("text=预览")
    tablet.wait_for_selector("[data-testid=intake-confirm]")
    assert tablet.locator("[data-testid=preview-row]").count() == 20
    screenshot(tablet, "intake-preview")
    tablet.click("[data-testid=intake-confirm]")
    tablet.wait_for_selector("[data-testid=intake-outcome]")
    assert "新建 20 单" in tablet.inner_text("[data-testid=intake-outcome]")
    screenshot(tablet, "intake-confirmed")
    assert time.monotonic() - started < 120
    with live_server.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 20
