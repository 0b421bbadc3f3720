"""No jumps, no jank on a Pixel 7: the status line's place is reserved (CLS ≤ 0.02) and the offline copy
is saved in small idle-time chunks (no task over 50 ms while it is written)."""
from tests.browser.conftest import login, screenshot
from tests.factories import make_order
from tests.waiting import wait_until

ORDERS = 120
OBSERVE_JS = """
window.__shifts = 0; window.__tasks = [];
new PerformanceObserver((list) => list.getEntries().forEach((e) => { if (!e.hadRecentInput) { window.__shifts += e.value; } }))
  .observe({type: "layout-shift", buffered: true});
new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__tasks.push([e.startTime, e.duration])))
  .observe({type: "longtask", buffered: true});
"""
# Note when the copy is being written (saveCopy running), to judge the tasks that fall into that time.
WRAP_SAVE_JS = """
() => { const save = OrderHub.store.saveCopy; window.__saving = [];
  OrderHub.store.saveCopy = async (copy) => { const t0 = performance.now();
    try { return await save(copy); } finally { window.__saving.push([t0, performance.now()]); } }; }
"""


def test_status_line_reserved_and_copy_saved_without_long_tasks(live_server, phone):
    user = live_server.user("warehouse", regions=["east"])
    with live_server.app.app_context():
        for _ in range(ORDERS):
            make_order(status="confirmed", region="east")
    phone.add_init_script(OBSERVE_JS)
    login(phone, live_server.url, user.username)
    wait_until(lambda: phone.evaluate("async () => (await OrderHub.store.listOrders()).length") >= ORDERS,
               timeout=30, interval=0.3, message="the copy on the device")
    phone.wait_for_selector("[data-offline-status]:not([hidden])")
    assert phone.evaluate("() => window.__shifts") <= 0.02
    screenshot(phone, "no-jumps-home")

    phone.reload()  # a second, forced refresh on an open page: chunks and idle time, measured
    phone.wait_for_load_state("networkidle")
    phone.evaluate(WRAP_SAVE_JS)
    phone.evaluate(f"() => OrderHub.copy.refresh({user.id}, true)")
    wait_until(lambda: phone.evaluate("() => window.__saving.length"), timeout=30, interval=0.2,
               message="a refreshed copy")
    begin, end = phone.evaluate("() => window.__saving[0]")
    during = [d for start, d in phone.evaluate("() => window.__tasks") if begin <= start <= end]
    assert all(d <= 50 for d in during), during
    assert phone.evaluate("() => window.__shifts") <= 0.02
    assert phone.evaluate("async () => (await OrderHub.store.listOrders()).length") >= ORDERS
