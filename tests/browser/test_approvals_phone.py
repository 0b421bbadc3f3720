"""The approver's phone (Pixel 7): the push opens the order → 去审批 → 批准, two taps; large targets;
screenshots of the approve screen and the risk queue."""

from tests.browser.conftest import login, screenshot, small_targets
from tests.factories import make_product
from webapp.extensions import db
from webapp.orders import services, txn
from webapp.orders.models import Order


def _waiting_order(app, sales, goods_thousands=60, address="浙江省杭州市西湖区文三路 90 号"):
    with app.app_context():
        make_product("K1000", "1000.00", "600.00", "千元件")
        raw = {"customer_name": "王五", "customer_phone": "13800138000", "address": address, "discount": "0"}
        order = txn.run(lambda: services.submit_order(raw, [{"sku": "K1000", "quantity": goods_thousands}],
                                                      actor=sales, via="web"), actor=sales, via="web")
        txn.run(lambda: services.transition(order.order_no, "awaiting_approval", actor=sales, via="web"),
                actor=sales, via="web")
        return order.order_no


def test_push_to_approved_in_two_taps_on_a_pixel_7(live_server, phone):
    sales, boss = live_server.user("sales"), live_server.user("manager", "boss")
    order_no = _waiting_order(live_server.app, sales)
    login(phone, live_server.url, boss.username)
    phone.goto(f"{live_server.url}/orders/{order_no}")  # the URL the approval push carries
    taps = 0
    phone.click("[data-testid=open-approval]")
    taps += 1
    phone.wait_for_selector("[data-testid=approve]")
    assert phone.is_visible("[data-testid=margin]")
    assert not small_targets(phone), small_targets(phone)
    screenshot(phone, "approvals-approve-screen")
    phone.click("[data-testid=approve]")
    taps += 1
    phone.wait_for_load_state("networkidle")
    assert taps <= 2
    with live_server.app.app_context():
        status = db.session.scalar(db.select(Order.status).where(Order.order_no == order_no))
    assert status == "confirmed"


def test_reject_needs_a_reason_and_the_risk_queue(live_server, phone):
    sales, boss = live_server.user("sales"), live_server.user("manager", "boss")
    order_no = _waiting_order(live_server.app, sales, address="浙江省杭州市文三路 90 号")
    login(phone, live_server.url, boss.username)
    phone.goto(f"{live_server.url}/orders/{order_no}/approval")
    phone.click("[data-testid=reject]")
    phone.wait_for_selector("[data-testid=refusal]")
    assert "原因" in phone.inner_text("[data-testid=refusal]")
    phone.goto(f"{live_server.url}/risk")
    assert order_no in phone.content()
    assert not small_targets(phone), small_targets(phone)
    screenshot(phone, "approvals-risk-queue")
