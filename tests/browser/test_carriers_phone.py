"""Issue 14 on a 390 px phone: the e-waybill on the done screen, the staff parcel panel, the customer's question."""
import pytest

from tests.browser.conftest import login, screenshot, small_targets
from tests.carriers.fake_waybills import SF_CHECKWORD, SF_PARTNER, FakeCarriers
from tests.factories import make_order
from tests.notify.helpers import drain, step
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.tracking import services

OVERFLOW_JS = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def phone390(browser):
    """A 390 × 844 touch phone in Chinese; returns a new page."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sf(live_server):
    """The fake 顺丰 open platform, set up as the live app's waybill carrier."""
    fake = FakeCarriers()
    live_server.app.config.update(WAYBILL_CARRIER="sf", OUTBOUND_ALLOW=fake.host, SF_PARTNER_ID=SF_PARTNER,
                                  SF_CHECKWORD=SF_CHECKWORD, SF_URL=fake.sf_url, SHIP_FROM_NAME="小林茶庄")
    yield fake
    fake.close()


def _outbound(app) -> str:
    with app.app_context():
        oid = make_order().id
        for state in ("confirmed", "in_production", "outbound"):
            step(oid, state)
        drain()
        return db.session.get(Order, oid).order_no


def test_done_screen_shows_the_waybill_and_its_label_button(live_server, sf, phone390):
    no = _outbound(live_server.app)
    live_server.user("warehouse", username="laochen", regions=["east"])
    login(phone390, live_server.url, "laochen")
    phone390.goto(f"{live_server.url}/pack/{no}/done")
    phone390.wait_for_selector("[data-testid=waybill-no]")
    assert phone390.inner_text("[data-testid=waybill-no]") == sf.issued[no]
    assert "打印快递面单" in phone390.inner_text("[data-testid=waybill-label]")
    assert phone390.evaluate(OVERFLOW_JS) <= 0
    assert [t for t in small_targets(phone390) if t["text"] != "laochen"] == []  # the top bar's account link aside
    screenshot(phone390, "carriers-waybill-done-390")


def test_support_copies_the_tracking_link_from_the_order_page(live_server, phone390):
    app = live_server.app
    with app.app_context():
        oid = make_order().id
        for state in ("confirmed", "in_production", "outbound"):
            step(oid, state)
        step(oid, "in_transit", carrier="顺丰", tracking_no="SF1402983377120")
        no = db.session.get(Order, oid).order_no
    live_server.user("support", username="xiaomei")
    login(phone390, live_server.url, "xiaomei")
    phone390.goto(f"{live_server.url}/orders/{no}")
    phone390.wait_for_selector("[data-testid=tracking-link]")
    assert "/t/" in phone390.input_value("[data-testid=tracking-link]")
    phone390.click("[data-copy-button]")
    phone390.wait_for_selector("[data-copy-button]:has-text('已复制')")
    assert phone390.evaluate(OVERFLOW_JS) <= 0
    screenshot(phone390, "carriers-order-parcel-390")


def test_customer_asks_a_question_from_the_tracking_page(live_server, phone390):
    app = live_server.app
    with app.app_context():
        order = make_order()
        token = services.token_for(db.session.get(Order, order.id))
        db.session.commit()
    phone390.goto(f"{live_server.url}/t/{token}")
    phone390.select_option("select[name=reason]", "where_is_my_order")
    phone390.fill("textarea[name=question]", "请问什么时候能发货？")
    phone390.click("[data-testid=ask]")
    phone390.wait_for_selector("[data-testid=question-sent]")
    assert phone390.evaluate(OVERFLOW_JS) <= 0 and small_targets(phone390) == []
    screenshot(phone390, "carriers-customer-question-390")
