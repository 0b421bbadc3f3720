"""Admin on a phone (390 px): the matrix asks for second verification, then a tap changes a cell in place."""
from tests.access.helpers import entries
from tests.browser.conftest import PASSWORD, login, screenshot, small_targets

NO_PAGE_OVERFLOW_JS = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


def test_matrix_toggle_on_a_phone_with_step_up(live_server, phone):
    live_server.user("admin", username="boss")
    login(phone, live_server.url, "boss")
    phone.goto(live_server.url + "/admin/matrix")
    assert phone.evaluate(NO_PAGE_OVERFLOW_JS), "the grid scrolls inside its box, not the page"
    assert small_targets(phone) == []
    cell = "#cell-support-total_amount"
    assert phone.get_attribute(cell, "data-level") == "hidden"
    assert phone.get_attribute(f"{cell} button[value=hidden]", "aria-pressed") == "true"
    phone.click(f"{cell} button[value=read]")  # htmx → 401 + HX-Redirect to the step-up page
    phone.wait_for_url("**/account/stepup**")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("#stepup-form button[type=submit]")
    phone.wait_for_url("**/admin/matrix")
    phone.click(f"{cell} button[value=read]")  # one tap to any level: a segmented control per cell
    phone.wait_for_selector(f'{cell}[data-level="read"]')
    assert phone.get_attribute(f"{cell} button[value=read]", "aria-pressed") == "true"
    assert phone.locator(f"{cell} button[aria-pressed=true]").all_inner_texts() == ["只读"]
    assert small_targets(phone) == []
    screenshot(phone, "admin-matrix")
    phone.click(f"{cell} button[value=hidden]")  # straight back, never through write
    phone.wait_for_selector(f'{cell}[data-level="hidden"]')
    phone.goto(live_server.url + "/admin/audit")
    assert "修改权限" in phone.inner_text("main") and "二次验证通过" in phone.inner_text("main")
    changes = [(e.field, e.old, e.new) for e in entries(live_server.app, "permission_changed")]
    assert changes == [("support.total_amount", "hidden", "read"), ("support.total_amount", "read", "hidden")]
    assert phone.evaluate(NO_PAGE_OVERFLOW_JS)
    screenshot(phone, "admin-audit")
