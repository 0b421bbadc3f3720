"""The dashboard uses a desk's width (1366 px), and an after-sales case goes from open to closed on a phone
(Pixel 7) through the real pages and buttons (screenshots under test-artifacts/screenshots/)."""
import io
import re

import pytest
from PIL import Image

from tests.browser.conftest import login, screenshot, small_targets
from tests.factories import make_order, make_product

pytestmark = pytest.mark.browser


def test_dashboard_at_1366_uses_the_width(live_server, browser):
    live_server.user("manager", username="boss")
    with live_server.app.app_context():
        make_product("CUP-500", price="129.00", cost="52.30", name="保温杯 500ml")
        make_order()
        make_order(status="confirmed")
        make_order(status="in_transit")
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    desk = context.new_page()
    try:
        login(desk, live_server.url, "boss")
        desk.goto(live_server.url + "/dashboard")
        desk.wait_for_load_state("networkidle")
        assert desk.locator(".dashboard").bounding_box()["width"] > 1000  # not a phone column in the middle
        # Figure cards sit side by side: two of the first section's cards share a row.
        cards = desk.locator(".dashboard .figures").first.locator(":scope > li")
        assert cards.count() >= 2
        first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
        assert abs(first["y"] - second["y"]) < 2 and second["x"] >= first["x"] + first["width"]
        assert first["width"] + second["width"] > 800
        # A chart is an image with a name and a title, and its table is the text equivalent.
        chart = desk.locator("svg.chart[role=img]").first
        chart.wait_for()
        assert chart.get_attribute("aria-label").strip()
        assert chart.locator("title").first.text_content().strip() == chart.get_attribute("aria-label").strip()
        assert desk.is_visible("[data-testid=day-table]")
        assert chart.bounding_box()["width"] > 300
        screenshot(desk, "dashboard-desk")
    finally:
        context.close()


def _jpeg(tmp_path):
    path = tmp_path / "parcel.jpg"
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 120, 90)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def _state(page, expected: str):
    """Wait for the case page to show `expected` as its state; check its tap targets."""
    page.wait_for_load_state("networkidle")
    state = page.locator("[data-testid=case-state]")
    state.wait_for()
    assert state.inner_text().strip() == expected
    assert page.locator("[data-testid=refusal]").count() == 0
    assert small_targets(page) == [], small_targets(page)


def _step(page, label: str, expected: str):
    page.get_by_role("button", name=f"→ {label}").click()
    page.wait_for_url(re.compile(r"/aftersales/\d+$"))
    _state(page, expected)


def test_a_case_goes_from_open_to_closed_on_a_phone(live_server, phone, tmp_path):
    from webapp.aftersales.models import AftersalesCase
    from webapp.audit.models import AuditEntry
    from webapp.extensions import db
    sales = live_server.user("sales", username="xiaoli")
    with live_server.app.app_context():
        make_product("CUP-500", price="129.00", cost="52.30", name="保温杯 500ml")
        order = make_order(salesperson=sales, status="in_transit")
        order_no, line_id = order.order_no, order.lines[0].id
    login(phone, live_server.url, "xiaoli")
    phone.goto(f"{live_server.url}/orders/{order_no}")
    # The after-sales panel loads after the page (htmx); its button opens the form.
    new_case = phone.locator("[data-testid=cases] a", has_text="新建售后工单")
    new_case.wait_for()
    new_case.click()
    phone.wait_for_url(f"**/orders/{order_no}/aftersales/new")
    phone.check("input[name=kind][value=return]")
    phone.fill(f"input[name=line-{line_id}]", "1")
    phone.fill("textarea[name=words]", "杯盖漏水，想退一个。")
    phone.fill("input[name=refund_amount]", "129.00")  # below the refund limit: sales may approve it
    phone.set_input_files("[data-testid=case-photo-input]", str(_jpeg(tmp_path)))
    phone.get_by_role("button", name="创建工单").click()
    phone.wait_for_url(re.compile(r"/aftersales/\d+$"))
    case_id = int(phone.url.rsplit("/", 1)[1])
    _state(phone, "待处理")
    assert "售后工单已创建" in phone.inner_text("body")
    assert "¥129.00" in phone.inner_text("[data-testid=refund-amount]").replace(",", "")
    assert "杯盖漏水" in phone.inner_text("main")
    assert phone.locator("[data-testid=case-photos] img").count() == 1
    screenshot(phone, "case-open")

    _step(phone, "已批准", "已批准")
    screenshot(phone, "case-approved")
    _step(phone, "已收到退货", "已收到退货")
    _step(phone, "已退款", "已退款")
    _step(phone, "已关闭", "已关闭")
    assert phone.get_by_role("button", name=re.compile("^→")).count() == 0  # a closed case has no next step
    screenshot(phone, "case-closed")

    with live_server.app.app_context():
        case = db.session.get(AftersalesCase, case_id)
        assert (case.status, str(case.refund_amount), case.refunded_at is not None) == ("closed", "129.00", True)
        assert len(case.photos) == 1 and [cl.quantity for cl in case.lines] == [1]
        steps = db.session.scalars(db.select(AuditEntry.new).where(AuditEntry.action == "case_step")
                                   .order_by(AuditEntry.id)).all()
        assert steps == ["approved", "goods_received", "refunded", "closed"]
