"""A refused or failed htmx request says why on the page (htmx 2 swaps nothing on a 4xx/5xx): the server's own
message from an error page or a JSON error, a plain sentence when the network is gone; a later success clears it."""
import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser
ERROR_PAGE = '<html><body><main><section><h1>422</h1><p class="lead" role="alert">列表里没有可识别的订单行</p></section></main></body></html>'


def test_a_refused_htmx_request_shows_the_servers_message_and_a_lost_network_says_so(live_server, phone):
    live_server.user("sales", username="wangfang")
    login(phone, live_server.url, "wangfang")
    phone.goto(live_server.url + "/intake")
    answers = iter([
        {"status": 422, "content_type": "text/html; charset=utf-8", "body": ERROR_PAGE},
        {"status": 409, "content_type": "application/json", "body": '{"error": "conflict", "message": "订单已被他人修改"}'},
        None,  # the network is gone
        "real",
    ])

    def answer(route):
        reply = next(answers)
        if reply is None:
            route.abort("internetdisconnected")
        elif reply == "real":
            route.continue_()
        else:
            route.fulfill(**reply)

    phone.route("**/intake/preview", answer)
    phone.fill("[data-testid=jielong-text]", "#接龙\n1. 小王 桔子2箱 13800000001 浙江省杭州市西湖区文三路1号")
    note = phone.locator("[data-htmx-error]")
    phone.click("text=预览")
    note.wait_for()
    assert note.inner_text() == "列表里没有可识别的订单行" and note.get_attribute("role") == "alert"
    screenshot(phone, "htmx-error-422")
    phone.click("text=预览")
    phone.wait_for_function("document.querySelector('[data-htmx-error]').textContent.includes('他人修改')")
    phone.click("text=预览")
    phone.wait_for_function("document.querySelector('[data-htmx-error]').textContent.includes('网络不通')")
    assert note.count() == 1
    phone.click("text=预览")
    note.wait_for(state="detached")
