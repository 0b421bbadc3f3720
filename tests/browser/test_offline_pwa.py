"""Offline on a Pixel 7: the 24-hour copy, offline list/search/order, queued actions replayed exactly once,
conflicts in the sync-problems list, purge on logout (headless Chromium, network cut with set_offline)."""
import time
from datetime import timedelta

from sqlalchemy import func, select

from tests.browser.conftest import login, screenshot, small_targets
from tests.factories import label_photo, make_order
from tests.waiting import wait_until
from webapp.audit.models import AuditEntry
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders.models import Order, OrderTransition
from webapp.warehouse import qr

NOTE = "客户要求放门卫"


def orders(server, *specs):
    """Create orders: (hours ago, status, name, phone) → their numbers."""
    with server.app.app_context():
        return [make_order(at=utcnow() - timedelta(hours=h), status=status, customer_name=name,
                           phone=phone).order_no for h, status, name, phone in specs]


def until(page, js, timeout=15.0):
    """Wait until an (async) JS expression is truthy in the page; return its value."""
    return wait_until(lambda: page.evaluate(js), timeout=timeout, interval=0.2, message=js)


def controlled(page):
    """Wait until the service worker is active and controls the page.

    A worker that activates while the login POST is in flight claims the old page, not the new one;
    the next navigation is then served by it, so reload once (as the user's next tap would).
    """
    until(page, "async () => !!(await navigator.serviceWorker.ready)")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    until(page, "() => !!navigator.serviceWorker.controller")


def ready_offline(page, server, username):
    """Log in, wait for the service worker and the 24-hour copy, then cut the network."""
    login(page, server.url, username)
    controlled(page)
    until(page, "async () => (await OrderHub.store.listOrders()).length")
    page.context.set_offline(True)


def queue_outbound_and_note(page, server, order_no):
    """Offline: on the order, mark outbound with the label's QR photo and a parcel photo, then add a note."""
    page.goto(f"{server.url}/orders/{order_no}")
    # the offline page fills itself from IndexedDB after load: wait for it rather than race it
    until(page, "() => (document.querySelector('[data-order-title]') || {}).textContent")
    assert page.inner_text("[data-order-title]") == order_no
    label = f"{server.url}/o/{order_no}?s={qr.sign(order_no, server.app.config['SECRET_KEY'])}"
    section = page.locator('[data-action="outbound"]')
    section.locator("[name=scan_photo]").set_input_files(
        {"name": "label.jpg", "mimeType": "image/jpeg", "buffer": label_photo(label)})
    section.locator("[name=photo]").set_input_files({"name": "parcel.jpg", "mimeType": "image/jpeg", "buffer": label_photo()})
    section.locator("[data-submit]").click()
    page.wait_for_selector("[data-saved]:visible")
    note = page.locator('[data-action="note"]')
    note.locator("[name=note]").fill(NOTE)
    note.locator("[data-submit]").click()
    until(page, "async () => (await OrderHub.store.queued(null)).length === 4")


def server_state(server, order_no):
    with server.app.app_context():
        order = db.session.scalar(select(Order).where(Order.order_no == order_no))
        steps = db.session.scalar(select(func.count()).select_from(OrderTransition).where(
            OrderTransition.order_id == order.id, OrderTransition.to_state == "outbound"))
        synced = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "offline_sync", AuditEntry.device_at.is_not(None)))
        return order.status, steps, order.notes.count(NOTE), synced


def test_offline_list_search_and_orders_from_the_copy(live_server, phone):
    recent, old = orders(live_server, (20, "in_production", "李四光", "+8613911112222"),
                         (30, "outbound", "王老五", "+8613733334444"))  # not an open task
    user = live_server.user("warehouse", regions=["east"])
    ready_offline(phone, live_server, user.username)
    phone.goto(live_server.url + "/offline/")
    phone.wait_for_selector("[data-offline-list] li")
    listed = phone.inner_text("[data-offline-list]")
    assert recent in listed and old not in listed
    assert "离线可用: 1 单" in phone.inner_text("[data-offline-status]")
    phone.fill("[data-offline-search]", "1111")
    assert recent in phone.inner_text("[data-offline-list]")
    phone.fill("[data-offline-search]", "王老五")
    phone.wait_for_selector("[data-offline-empty]:visible")
    screenshot(phone, "offline-list")
    assert small_targets(phone) == []
    phone.goto(f"{live_server.url}/orders/{recent}")
    phone.wait_for_selector("[data-offline-order]:visible")
    assert "李四光" in phone.inner_text("[data-order-fields]")
    screenshot(phone, "offline-order")
    phone.goto(f"{live_server.url}/o/{recent}?s=label-signature")  # the label, opened by the phone's camera app
    assert phone.wait_for_selector("[data-order-title]:visible").inner_text() == recent
    phone.goto(f"{live_server.url}/orders/{old}")
    message = phone.wait_for_selector("[data-not-in-copy]:visible").inner_text()
    assert old in message and "不在本机的离线数据中" in message
    kept = phone.evaluate("async () => JSON.stringify(await OrderHub.store.listOrders())")
    for hidden in ("total_amount", "cost_total", "profit", "unit_price", "unit_cost"):
        assert f'"{hidden}"' not in kept  # warehouse may not read amounts (checked against the matrix in tests/offline)


def test_offline_outbound_and_note_sync_exactly_once(live_server, phone):
    order_no, = orders(live_server, (2, "in_production", "张三华", "+8613800138000"))
    user = live_server.user("warehouse", regions=["east"])
    ready_offline(phone, live_server, user.username)
    queue_outbound_and_note(phone, live_server, order_no)
    phone.evaluate("async () => OrderHub.store.setMeta('test-snapshot', await OrderHub.store.queued(null))")
    assert "等待同步 (4)" in phone.inner_text("[data-offline-status]")
    assert server_state(live_server, order_no)[:3] == ("in_production", 0, 0)
    phone.context.set_offline(False)
    until(phone, "async () => (await OrderHub.store.queued(null)).length === 0", timeout=30)
    assert phone.evaluate("async () => (await OrderHub.store.problems(null)).length") == 0
    assert server_state(live_server, order_no) == ("outbound", 1, 1, 4)
    requeue = """async () => { for (const e of await OrderHub.store.getMeta('test-snapshot')) {
                   await OrderHub.store.enqueue(Object.assign({}, e)); }
                 return (await OrderHub.store.queued(null)).length; }"""
    for _ in range(3):
        assert phone.evaluate(requeue) == 4
        phone.evaluate("() => OrderHub.sync.run()")
        until(phone, "async () => (await OrderHub.store.queued(null)).length === 0")
    phone.evaluate(requeue)
    phone.reload()
    until(phone, "async () => (await OrderHub.store.queued(null)).length === 0", timeout=30)
    assert server_state(live_server, order_no) == ("outbound", 1, 1, 4)
    assert phone.evaluate("async () => (await OrderHub.store.problems(null)).length") == 0


def test_an_order_cancelled_meanwhile_shows_in_sync_problems(live_server, phone):
    order_no, = orders(live_server, (2, "confirmed", "赵六", "+8613955556666"))
    user = live_server.user("warehouse", regions=["east"])
    ready_offline(phone, live_server, user.username)
    queue_outbound_and_note(phone, live_server, order_no)
    with live_server.app.app_context():
        from webapp.orders import services
        services.transition(order_no, "cancelled", actor=None, via="system", reason="客户取消")
        db.session.commit()
    phone.context.set_offline(False)
    phone.goto(live_server.url + "/offline/sync")
    until(phone, "async () => (await OrderHub.store.queued(null)).length === 0", timeout=30)
    phone.click("[data-sync-now]")
    problems = phone.wait_for_selector(".sync-problem").inner_text()
    assert order_no in problems and "原因" in phone.inner_text("[data-problem-list]")
    screenshot(phone, "offline-sync-problems")
    with live_server.app.app_context():
        assert db.session.scalar(select(Order.status).where(Order.order_no == order_no)) == "cancelled"


def device_holds(page, numbers):
    """Return which of the order numbers appear anywhere in Cache Storage or IndexedDB."""
    return page.evaluate("""async (numbers) => {
        let text = '';
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          for (const req of await cache.keys()) { text += req.url + (await (await cache.match(req)).text()); }
        }
        text += JSON.stringify(await OrderHub.store.listOrders()) + JSON.stringify(await OrderHub.store.queued(null))
             + JSON.stringify(await OrderHub.store.problems(null)) + JSON.stringify(await OrderHub.store.getMeta('copy'));
        return numbers.filter((n) => text.includes(n));
    }""", numbers)


def test_logout_purges_the_device_and_the_next_user_sees_nothing(live_server, phone):
    mine = orders(live_server, (3, "in_production", "钱七", "+8613977778888"),
                  (5, "confirmed", "孙八", "+8613999990000"))
    first = live_server.user("warehouse", regions=["east"])
    second = live_server.user("warehouse", regions=["north"])
    login(phone, live_server.url, first.username)
    until(phone, "async () => (await OrderHub.store.listOrders()).length === 2")
    phone.goto(live_server.url + "/offline/")
    phone.goto(live_server.url + "/")
    assert device_holds(phone, mine) == mine
    phone.click("form[data-logout] button")
    phone.wait_for_selector("[data-logged-out]")
    until(phone, "async () => (await OrderHub.store.getMeta('copy')) === null")
    assert device_holds(phone, mine) == []
    login(phone, live_server.url, second.username)
    until(phone, "async () => !!(await OrderHub.store.getMeta('copy'))")
    phone.goto(live_server.url + "/offline/")
    assert device_holds(phone, mine) == []
    assert phone.locator("[data-offline-list] li").count() == 0


def test_logout_warns_before_dropping_unsynced_actions(live_server, phone):
    order_no, = orders(live_server, (2, "in_production", "周九", "+8613812345678"))
    user = live_server.user("warehouse", regions=["east"])
    ready_offline(phone, live_server, user.username)
    queue_outbound_and_note(phone, live_server, order_no)
    phone.context.route("**/offline/state.json", lambda route: route.abort())  # the server stays unreachable
    phone.context.set_offline(False)
    phone.goto(live_server.url + "/")
    seen = []
    phone.on("dialog", lambda d: (seen.append(d.message), d.dismiss()))
    phone.click("form[data-logout] button")
    end = time.time() + 10
    while not seen and time.time() < end:
        phone.wait_for_timeout(200)
    assert seen and "4 个操作尚未同步" in seen[0]
    assert phone.evaluate("async () => (await OrderHub.store.queued(null)).length") == 4
    assert phone.url == live_server.url + "/"


def test_a_new_order_entered_offline_is_created_once(live_server, phone):
    from tests.factories import make_product
    with live_server.app.app_context():
        make_product("CUP-500", price="129.00", cost="52.30")
    orders(live_server, (1, "pending_payment", "旧客户", "+8613600000000"))
    user = live_server.user("sales")
    login(phone, live_server.url, user.username)
    controlled(phone)
    until(phone, "async () => !!(await OrderHub.store.getMeta('copy'))")
    phone.context.set_offline(True)
    phone.goto(live_server.url + "/orders/new")
    form = phone.locator("[data-offline-new]")
    form.locator("[name=customer_phone]").fill("13800138000")
    form.locator("[name=customer_name]").fill("离线客户")
    form.locator("[name=address]").fill("上海市浦东新区张江路 88 号")
    form.locator("[name=items-0-sku]").fill("CUP-500")
    form.locator("[name=items-0-quantity]").fill("2")
    form.locator("button[type=submit]").click()
    phone.wait_for_selector("[data-saved]:visible")
    snapshot = "async () => OrderHub.store.setMeta('snap', await OrderHub.store.queued(null))"
    phone.evaluate(snapshot)
    phone.context.set_offline(False)
    until(phone, "async () => (await OrderHub.store.queued(null)).length === 0", timeout=30)
    phone.evaluate("""async () => { for (const e of await OrderHub.store.getMeta('snap')) await OrderHub.store.enqueue(e);
                                   await OrderHub.sync.run(); }""")
    until(phone, "async () => (await OrderHub.store.queued(null)).length === 0")
    assert phone.evaluate("async () => (await OrderHub.store.problems(null)).length") == 0
    with live_server.app.app_context():
        made = db.session.scalars(select(Order).where(Order.customer_name == "离线客户")).all()
        assert len(made) == 1 and made[0].total_amount == 258
