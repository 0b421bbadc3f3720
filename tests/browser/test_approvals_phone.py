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


def test_home_tile_to_approved_on_a_390px_phone_and_the_board_badge_on_a_desk(live_server, browser):
    sales, boss = live_server.user("sales"), live_server.user("manager", "boss")
    order_no = _waiting_order(live_server.app, sales)
    narrow = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True,
                                 is_mobile=True, device_scale_factor=2).new_page()
    login(narrow, live_server.url, boss.username)
    narrow.goto(live_server.url + "/")
    tile = narrow.locator("[data-testid=home-my-approvals]")
    assert "待我审批" in tile.inner_text() and "1" in tile.inner_text()
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(narrow, "approvals-home-tile-390")
    tile.locator("a").click()
    narrow.click(f"a[href='/orders/{order_no}/approval']")
    narrow.wait_for_selector("[data-testid=approve]")
    small = [t for t in small_targets(narrow) if t["text"] != boss.username]  # the header's name link: not ours
    assert not small, small
    narrow.click("[data-testid=approve]")
    narrow.wait_for_load_state("networkidle")
    narrow.goto(live_server.url + "/")
    assert narrow.locator("[data-testid=home-my-approvals] .fig-n").inner_text().strip() == "0"
    narrow.context.close()
    with live_server.app.app_context():
        raw = {"customer_name": "赵六", "customer_phone": "13800138009", "address": "浙江省杭州市西湖区文三路 9 号"}
        second = txn.run(lambda: services.submit_order(raw, [{"sku": "K1000", "quantity": 250}], actor=sales,
                                                       via="web"), actor=sales, via="web").order_no
        txn.run(lambda: services.transition(second, "awaiting_approval", actor=sales, via="web"), actor=sales,
                via="web")
    desk = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    login(desk, live_server.url, boss.username)
    desk.goto(live_server.url + "/orders?state=awaiting_approval")
    row = desk.locator("table.board-table tr", has_text=second)
    assert "第 1/2 级" in row.inner_text()
    screenshot(desk, "approvals-board-badge-desk")
    desk.goto(live_server.url + "/admin/approvals")  # managers may not open the rules
    assert "403" in desk.title() or desk.locator("[data-testid=rule-new]").count() == 0
    desk.context.close()


def test_rules_page_fits_a_390px_phone(live_server, browser):
    admin = live_server.user("admin", "root")
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                               has_touch=True).new_page()
    login(page, live_server.url, admin.username)
    page.goto(live_server.url + "/admin/approvals")
    page.wait_for_selector("[data-testid=rule-new]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "approvals-rules-390")
    page.context.close()
