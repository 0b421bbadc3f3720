"""Offline pack parity on a Pixel 7: the offline pack page has the online pack screen's big buttons, says
"已同步" with the server's state after a sync, names a refusal's real cause, and the offline list masks phones."""
from sqlalchemy import func, select

from tests.browser.conftest import screenshot, small_targets
from tests.browser.test_offline_pwa import orders, ready_offline, until
from tests.factories import label_photo
from webapp.extensions import db
from webapp.orders.models import Order, OrderTransition
from webapp.warehouse import qr

BOX = """(sel) => { const el = document.querySelector(sel); const r = el.getBoundingClientRect();
                    const s = getComputedStyle(el);
                    return {w: Math.round(r.width), h: Math.round(r.height), font: s.fontSize, radius: s.borderRadius,
                            bg: s.backgroundColor}; }"""
ONLINE = {"photo": ".pack [data-testid=take-photo]", "outbound": ".pack [data-testid=outbound]"}
OFFLINE = {"photo": '[data-action="outbound"] [data-testid=take-photo]',
           "scan": '[data-action="outbound"] [data-testid=scan-photo]',
           "outbound": '[data-action="outbound"] [data-testid=outbound]'}


def _label(server, order_no):
    return f"{server.url}/o/{order_no}?s={qr.sign(order_no, server.app.config['SECRET_KEY'])}"


def _open_offline(page, server, order_no):
    page.goto(f"{server.url}/pack/{order_no}")  # the pack screen's address, drawn offline from the copy
    until(page, "() => (document.querySelector('[data-order-title]') || {}).textContent")


def _queue_outbound(page, server, order_no, label_of):
    section = page.locator('[data-action="outbound"]')
    assert section.locator("[data-submit]").is_disabled()  # as online: both photos first
    section.locator("[name=scan_photo]").set_input_files(
        {"name": "label.jpg", "mimeType": "image/jpeg", "buffer": label_photo(_label(server, label_of))})
    section.locator("[name=photo]").set_input_files(
        {"name": "parcel.jpg", "mimeType": "image/jpeg", "buffer": label_photo()})
    section.locator("[data-submit]").click()
    page.wait_for_selector("[data-saved]:visible")
    until(page, "async () => (await OrderHub.store.queued(null)).length === 3")


def _server(server, order_no):
    with server.app.app_context():
        order = db.session.scalar(select(Order).where(Order.order_no == order_no))
        steps = db.session.scalar(select(func.count()).select_from(OrderTransition).where(
            OrderTransition.order_id == order.id, OrderTransition.to_state == "outbound"))
        return order.status, steps


def test_offline_pack_page_has_the_online_pack_screens_buttons(live_server, phone):
    order_no, = orders(live_server, (2, "in_production", "张三华", "+8613800138000"))
    user = live_server.user("warehouse", regions=["east"])
    ready_offline(phone, live_server, user.username)
    phone.context.set_offline(False)
    phone.goto(f"{live_server.url}/pack/{order_no}")
    phone.wait_for_selector(ONLINE["photo"])
    online = {k: phone.evaluate(BOX, sel) for k, sel in ONLINE.items()}
    online_qty = phone.evaluate(BOX, ".picklist .pick-qty")["font"]
    screenshot(phone, "pack-parity-online")
    phone.context.set_offline(True)
    _open_offline(phone, live_server, order_no)
    phone.wait_for_selector(OFFLINE["photo"] + ":visible")
    offline = {k: phone.evaluate(BOX, sel) for k, sel in OFFLINE.items()}
    screenshot(phone, "pack-parity-offline")
    for kind in ("photo", "outbound"):
        on, off = online[kind], offline[kind]
        assert abs(on["w"] - off["w"]) <= 2 and abs(on["h"] - off["h"]) <= 2, (kind, on, off)
        assert (on["font"], on["radius"], on["bg"]) == (off["font"], off["radius"], off["bg"]), (kind, on, off)
    assert offline["scan"] == offline["photo"]
    assert phone.evaluate(BOX, ".picklist .pick-qty")["font"] == online_qty
    assert offline["photo"]["h"] >= 64 and offline["outbound"]["h"] >= 140
    assert small_targets(phone) == []
    phone.goto(live_server.url + "/offline/")
    phone.wait_for_selector("[data-offline-list] li")
    listed = phone.inner_text("[data-offline-list]")
    assert order_no in listed and "138****8000" in listed and "13800138000" not in listed
    screenshot(phone, "offline-list-masked")


def test_after_sync_the_open_page_says_synced_with_the_servers_state(live_server, phone):
    order_no, = orders(live_server, (2, "in_production", "李四光", "+8613911112222"))
    user = live_server.user("warehouse", regions=["east"])
    ready_offline(phone, live_server, user.username)
    _open_offline(phone, live_server, order_no)
    _queue_outbound(phone, live_server, order_no, order_no)
    screenshot(phone, "offline-pack-saved")
    phone.context.set_offline(False)
    synced = phone.wait_for_selector("[data-synced]:visible", timeout=30_000)
    until(phone, "() => document.querySelector('[data-synced]').textContent.includes('已出库')", timeout=30)
    assert "已同步" in synced.inner_text()
    assert "已出库" in phone.inner_text("[data-order-fields]")  # the order redrawn from the server's copy
    assert phone.is_hidden("[data-saved]") and phone.is_hidden('[data-action="outbound"]')
    assert _server(live_server, order_no) == ("outbound", 1)
    screenshot(phone, "offline-pack-synced")


def test_a_label_of_another_order_is_named_as_the_cause(live_server, phone):
    mine, other = orders(live_server, (2, "in_production", "王五", "+8613733334444"),
                         (3, "in_production", "赵六", "+8613955556666"))
    user = live_server.user("warehouse", regions=["east"])
    ready_offline(phone, live_server, user.username)
    _open_offline(phone, live_server, mine)
    _queue_outbound(phone, live_server, mine, other)
    phone.context.set_offline(False)
    rejected = phone.wait_for_selector("[data-rejected]:visible", timeout=30_000).inner_text()
    assert "扫描的是另一张单的二维码" in rejected and other in rejected
    assert "缺少" not in rejected and "证据" not in rejected
    screenshot(phone, "offline-pack-rejected")
    phone.wait_for_selector('[data-action="outbound"]:visible')  # offered again, to take the right label
    assert phone.locator('[data-action="outbound"] [data-submit]').is_disabled()
    assert _server(live_server, mine) == ("in_production", 0)
    phone.goto(live_server.url + "/offline/sync")
    phone.wait_for_selector(".sync-problem")
    problems = phone.inner_text("[data-problem-list]")
    assert problems.count("扫描的是另一张单的二维码") == 3  # the photo and the step carry the scan's cause
    assert "缺少" not in problems
    screenshot(phone, "offline-sync-named-rejection")
