"""Dashboard on a phone (big targets, charts with text) and the board as a dense table at 1366 px."""
from tests.browser.conftest import login, screenshot, small_targets
from tests.factories import make_order


def test_dashboard_on_a_phone(live_server, phone):
    live_server.user("manager", username="boss")
    with live_server.app.app_context():
        make_order()
    login(phone, live_server.url, "boss")
    phone.goto(live_server.url + "/dashboard")
    assert "超时" in phone.inner_text("main") and phone.query_selector("svg[role=img]")
    assert small_targets(phone) == []
    screenshot(phone, "dashboard-phone")


def test_board_is_a_table_on_a_desk_and_cards_on_a_phone(live_server, browser, phone):
    live_server.user("finance", username="fin")
    with live_server.app.app_context():
        make_order()
    desk = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    login(desk, live_server.url, "fin")
    desk.goto(live_server.url + "/orders")
    assert desk.is_visible("[data-testid=order-table]") and not desk.is_visible("[data-testid=order-rows]")
    screenshot(desk, "board-desk")
    desk.context.close()
    login(phone, live_server.url, "fin")
    phone.goto(live_server.url + "/orders")
    assert phone.is_visible("[data-testid=order-rows]") and not phone.is_visible("[data-testid=order-table]")
