"""Admin on a phone (390 px): the matrix asks for second verification, then a tap changes a cell in place."""
from tests.browser.conftest import PASSWORD, login, screenshot, small_targets

NO_PAGE_OVERFLOW_JS = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


def test_matrix_toggle_on_a_phone_with_step_up(live_server, phone):
    live_server.user("admin", username="boss")
    login(phone, live_server.url, "boss")
    phone.goto(live_server.url + "/admin/matrix")
    assert phone.evaluate(NO_PAGE_OVERFLOW_JS), "the grid scrolls inside its box, not the page"
    assert small_targets(phone) == []
    cell = "#cell-support-total_amount button"
    assert phone.get_attribute(cell, "data-level") == "hidden"
    phone.click(cell)  # htmx → 401 + HX-Redirect to the step-up page
    phone.wait_for_url("**/account/stepup**")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("#stepup-form button[type=submit]")
    phone.wait_for_url("**/admin/matrix")
    phone.click(cell)
    phone.wait_for_selector(f'{cell}[data-level="read"]')
    assert "只读" in phone.inner_text("#cell-support-total_amount")
    screenshot(phone, "admin-matrix")
    phone.goto(live_server.url + "/admin/audit")
    assert "修改权限" in phone.inner_text("main") and "二次验证通过" in phone.inner_text("main")
    assert phone.evaluate(NO_PAGE_OVERFLOW_JS)
    screenshot(phone, "admin-audit")
