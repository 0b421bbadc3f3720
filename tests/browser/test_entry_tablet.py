"""The sales tablet (1024×768, landscape): product search results stay above the on-screen keyboard and close
after a pick (tap or keyboard), typing during a slow phone look-up is never overwritten, a stale look-up is
dropped, who pays shipping drives the live totals, and a zero discount shows nothing.

Headless Chromium has no on-screen keyboard: the test stands in for one by shrinking `window.visualViewport`
(what Safari and Chrome do when their keyboard opens) and, as those browsers do, keeping the focused field
in view; the page must then lay its list out inside what is left.
"""
import pytest

from tests.browser.conftest import login, screenshot, small_targets
from tests.factories import make_order, make_product

TABLET = {"width": 1024, "height": 768}
KEYBOARD = 330  # px: a landscape iPad keyboard with its suggestion bar
CUPS = [("CUP-200", "保温杯 200ml", "59.00"), ("CUP-350", "保温杯 350ml", "79.00"), ("CUP-500", "保温杯 500ml", "129.00"),
        ("CUP-750", "保温杯 750ml", "149.00"), ("CUP-1000", "保温杯 1L", "169.00"), ("MUG-1", "马克杯", "39.00"),
        ("MUG-2", "陶瓷杯", "29.00"), ("GLASS-1", "玻璃杯", "19.90")]
FAKE_KEYBOARD_JS = """
(() => {
  const vv = new EventTarget();
  Object.assign(vv, {offsetTop: 0, offsetLeft: 0, pageTop: 0, pageLeft: 0, width: innerWidth, height: innerHeight, scale: 1});
  Object.defineProperty(window, "visualViewport", {configurable: true, get: () => vv});
  window.__keyboard = (px) => {
    vv.height = innerHeight - px;
    // As the browsers do: bring the focused field into view, by scrolling the page and, where the page
    // cannot scroll that far (iPad Safari), by panning the visual viewport down over the page.
    const el = document.activeElement, r = el && el.getBoundingClientRect();
    const need = r ? Math.max(0, r.bottom - vv.height + 16) : 0, before = scrollY;
    window.scrollBy(0, need);
    vv.offsetTop = Math.max(0, need - (scrollY - before));
    vv.dispatchEvent(new Event("resize"));
  };
})();
"""


@pytest.fixture
def tablet(browser):
    context = browser.new_context(viewport=TABLET, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.add_init_script(FAKE_KEYBOARD_JS)
    yield page
    context.close()


@pytest.fixture
def shop(live_server):
    sales = live_server.user("sales")
    with live_server.app.app_context():
        for sku, name, price in CUPS:
            make_product(sku, price, "10.00", name)
        make_order(salesperson=sales, phone="+8613800138000", customer_name="王芳", address="上海市浦东新区张江路 88 号")
        make_order(salesperson=sales, phone="+8613911112222", customer_name="李四", address="北京市朝阳区建国路 3 号")
    return sales


def _new_order(page, server, sales):
    login(page, server.url, sales.username)
    page.goto(f"{server.url}/orders/new")
    page.wait_for_load_state("networkidle")


def _box(page, selector):
    return page.eval_on_selector(selector, "el => { const r = el.getBoundingClientRect();"
                                           " return {top: r.top, bottom: r.bottom, height: r.height}; }")


def _visible(page):
    """Return (top, bottom) of what the user sees above the keyboard, in client coordinates."""
    return page.evaluate("() => [visualViewport.offsetTop, visualViewport.offsetTop + visualViewport.height]")


def _wait_for_hits(page, n):
    """Wait for the answer to the whole query typed (earlier answers list more products)."""
    page.wait_for_function(f"() => document.querySelectorAll('#sku-results [data-add-sku]').length === {n}")
    page.wait_for_load_state("networkidle")  # no later answer re-renders the list under the finger
    page.wait_for_function(f"() => document.querySelectorAll('#sku-results [data-add-sku]').length === {n}")


def _lines(page):
    return page.eval_on_selector_all("[data-line]", "rows => rows.map(r => r.getAttribute('data-sku'))")


def test_search_results_stay_above_the_keyboard_and_close_after_a_tap(live_server, shop, tablet):
    _new_order(tablet, live_server, shop)
    tablet.tap("#sku-search")
    tablet.evaluate(f"() => window.__keyboard({KEYBOARD})")
    tablet.keyboard.type("杯")
    _wait_for_hits(tablet, len(CUPS))
    top, bottom = _visible(tablet)
    results, field = _box(tablet, "#sku-results"), _box(tablet, "#sku-search")
    assert field["top"] >= top and field["bottom"] <= bottom
    assert results["top"] >= top and results["bottom"] <= bottom, (results, top, bottom)
    assert results["height"] >= 100  # room for at least two results, the rest scrolls inside the list
    first = _box(tablet, "#sku-results [data-add-sku]")
    assert first["top"] >= results["top"] and first["bottom"] <= bottom
    screenshot(tablet, "entry-tablet-search-above-keyboard")

    tablet.tap("#sku-results [data-add-sku='CUP-350']")
    tablet.wait_for_selector("#sku-results", state="hidden")
    assert _lines(tablet) == ["CUP-350"] and tablet.input_value("#sku-search") == ""
    tablet.wait_for_load_state("networkidle")  # an answer still under way must not open the list again
    assert not tablet.is_visible("#sku-results")
    screenshot(tablet, "entry-tablet-after-pick")


def test_search_results_work_with_the_keyboard(live_server, shop, tablet):
    _new_order(tablet, live_server, shop)
    tablet.click("#sku-search")
    tablet.keyboard.type("CUP")
    _wait_for_hits(tablet, 5)
    tablet.keyboard.press("ArrowDown")
    tablet.keyboard.press("ArrowDown")
    assert tablet.get_attribute("#sku-results [aria-selected=true]", "data-add-sku") == "CUP-200"  # SKU order
    assert tablet.get_attribute("#sku-search", "aria-activedescendant") == "sku-opt-1"
    tablet.keyboard.press("Enter")
    tablet.wait_for_selector("#sku-results", state="hidden")
    assert _lines(tablet) == ["CUP-200"] and "/orders/new" in tablet.url  # Enter picked, did not submit
    tablet.keyboard.type("MUG")
    _wait_for_hits(tablet, 2)
    tablet.keyboard.press("Escape")
    tablet.wait_for_selector("#sku-results", state="hidden")
    assert _lines(tablet) == ["CUP-200"]


def _hold_lookups(page):
    """Hold every phone look-up until the test lets it through; return the list of held routes."""
    held = []
    page.route("**/orders/customer?*", lambda route: held.append(route))
    return held


def _wait_for(page, held, n):
    for _ in range(200):  # the route handler runs while Playwright waits
        if len(held) >= n:
            return
        page.wait_for_timeout(25)
    raise AssertionError(f"expected {n} look-ups, saw {len(held)}")


def _release(held):
    """Let every held look-up through, oldest first (one htmx already aborted is skipped)."""
    for route in held:
        try:
            route.continue_()
        except Exception:  # noqa: BLE001 - the page gave up on that request (hx-sync replaced it)
            pass
    held.clear()


def test_typing_during_a_slow_lookup_is_never_overwritten(live_server, shop, tablet):
    _new_order(tablet, live_server, shop)
    held = _hold_lookups(tablet)
    tablet.click("#f-customer_phone")
    tablet.keyboard.type("138 0013 8000")
    _wait_for(tablet, held, 1)
    tablet.click("#f-customer_name")
    tablet.keyboard.type("王小芳")  # typed while the look-up (sent again on leaving the phone field) is under way
    _release(held)
    tablet.wait_for_selector("[data-testid=known-customer]")
    assert tablet.input_value("#f-customer_name") == "王小芳"
    assert tablet.input_value("#f-address") == "上海市浦东新区张江路 88 号"  # empty and untouched: filled
    tablet.keyboard.type("!")
    assert tablet.input_value("#f-customer_name") == "王小芳!"  # the field kept its focus
    screenshot(tablet, "entry-tablet-lookup-kept-typing")


def test_an_answer_for_an_older_phone_is_dropped(live_server, shop, tablet):
    _new_order(tablet, live_server, shop)
    held = _hold_lookups(tablet)
    tablet.click("#f-customer_phone")
    tablet.keyboard.type("13800138000")
    _wait_for(tablet, held, 1)
    tablet.fill("#f-customer_phone", "")
    tablet.keyboard.type("13911112222")  # another phone, before the first answer is back
    held[0].continue_()
    _wait_for(tablet, held, 2)
    held[1].continue_()
    tablet.wait_for_selector("[data-testid=known-customer]")
    assert tablet.input_value("#f-customer_name") == "李四"
    assert tablet.input_value("#f-address") == "北京市朝阳区建国路 3 号"


def test_live_totals_follow_who_pays_shipping_and_hide_a_zero_discount(live_server, shop, tablet):
    _new_order(tablet, live_server, shop)
    tablet.click("#sku-search")
    tablet.keyboard.type("CUP-500")
    _wait_for_hits(tablet, 1)
    tablet.keyboard.press("Enter")
    tablet.fill("#f-discount", "0")
    tablet.fill("#f-shipping_fee", "12")
    assert tablet.inner_text("[data-out=due]") == "¥129.00"  # the default: we bear the fee (it is our cost)
    assert tablet.inner_text("dd[data-out=shipping]") == "包邮（我方承担）"
    assert not tablet.is_visible("dd[data-out=discount]") and "−¥0.00" not in tablet.inner_text("[data-totals]")
    tablet.tap("label.choice:has(input[value=customer])")
    assert tablet.inner_text("[data-out=due]") == "¥141.00"
    assert tablet.inner_text("dd[data-out=shipping]") == "+¥12.00"
    screenshot(tablet, "entry-tablet-shipping-customer-pays")
    tablet.tap("label.choice:has(input[value=us])")
    assert tablet.inner_text("[data-out=due]") == "¥129.00"
    tablet.fill("#f-discount", "10")
    assert tablet.inner_text("dd[data-out=discount]") == "−¥10.00" and tablet.inner_text("[data-out=due]") == "¥119.00"
    tablet.evaluate("() => window.scrollTo(0, 0)")
    save, nav = _box(tablet, "[data-totals] button[type=submit]"), _box(tablet, "nav.bottomnav")
    assert save["bottom"] <= nav["top"]  # the save button is not under the tab bar at 1024×768
    screenshot(tablet, "entry-tablet-shipping-we-pay")


def test_on_a_phone_the_new_controls_are_big_enough_to_tap(live_server, shop, phone):
    _new_order(phone, live_server, shop)
    phone.click("#sku-search")
    phone.keyboard.type("杯")
    _wait_for_hits(phone, len(CUPS))
    small = small_targets(phone)
    sizes = phone.eval_on_selector_all("#sku-results [data-add-sku], label.choice", "els => els.map(e => {"
                                       " const r = e.getBoundingClientRect(); return [r.width, r.height]; })")
    assert sizes and all(w >= 48 and h >= 48 for w, h in sizes), sizes
    assert not [t for t in small if t["text"].startswith(("保温杯", "马克杯", "陶瓷杯", "玻璃杯", "客户", "我方"))], small
    results, nav = _box(phone, "#sku-results"), _box(phone, "nav.bottomnav")
    assert results["bottom"] <= nav["top"]  # the last result shown is not under the tab bar
    screenshot(phone, "entry-phone-search")
