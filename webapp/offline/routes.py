"""The route map: every URL the scripts and the service worker use, built with url_for, plus the vocabulary.

Pages get `page_map()` as JSON in <head> (static/js/routes.js reads it); the service worker gets
`worker_map()` filled into sw.js when it is served. URLs that take an order number carry `{no}`
(and the label's signature `{sig}`), which routes.js fills in or turns into a pattern.
"""
import re

from flask import current_app, request, url_for

from webapp import vocab

# The files under static/js each kind of page loads, in order (one behaviour per file).
SCRIPTS = {
    "base": ("csrf-headers.js", "htmx-errors.js"),
    "offline": ("routes.js", "names.js", "text.js", "store-db.js", "store-copy.js", "store-queue.js",
                "store-replay.js", "sw-client.js", "offline-purge.js", "offline-copy.js", "offline-sync.js",
                "offline-status.js", "offline-logout.js", "install-hint.js", "offline.js"),
    "offline_pages": ("offline-view.js", "offline-enqueue.js", "offline-banner.js", "offline-home.js",
                      "offline-actions.js", "offline-order.js", "offline-order-sync.js", "offline-new.js",
                      "offline-sync-page.js"),
    "scan": ("camera.js", "barcode.js", "scan.js"),
    "pack": ("camera.js", "pack-photo.js", "pack-ready.js"),
    "handover": ("camera.js", "barcode.js", "handover-scan.js"),
    "order_form": ("money.js", "order-form.js", "sku-picker.js", "customer-lookup.js"),
    "notify": ("push-subscribe.js",),
    "print": ("print-button.js",),
    "parcel": ("copy-link.js",),
    "worker": ("routes.js", "names.js", "store-db.js", "store-queue.js", "store-replay.js"),
}
# Every kind of page that must also work in a dead spot: its scripts are precached.
OFFLINE_KINDS = ("base", "offline", "offline_pages", "scan", "pack", "handover", "order_form")
# Pushes about these topics stay on screen until the user acts.
STICKY_PUSH_TOPICS = ("overdue", "overdue_escalated", "approval_needed")


def script_urls(kind: str) -> list[str]:
    """Return the URLs of the scripts a kind of page loads."""
    return [url_for("static", filename=f"js/{name}") for name in SCRIPTS[kind]]


def offline_script_files() -> list[str]:
    """Return the static file names of every script an offline-capable page loads, once each."""
    return list(dict.fromkeys(f"js/{name}" for kind in OFFLINE_KINDS for name in SCRIPTS[kind]))


def _template(endpoint: str, **values) -> str:
    """Build a URL with stand-ins (__no__) and show them as {no}."""
    return re.sub(r"__(\w+)__", r"{\1}", url_for(endpoint, **values))


def _urls() -> dict:
    no = {"order_no": "__no__"}
    return {
        "home": url_for("home.index"), "scope": request.script_root + "/", "sw": url_for("offline.service_worker"),
        "copy": url_for("offline.copy"), "state": url_for("offline.state"),
        "offline_home": url_for("offline.home"), "offline_order": url_for("offline.order"),
        "offline_sync": url_for("offline.sync"), "offline_new": url_for("offline.new"),
        "offline_order_of": _template("offline.order", no="__no__"),
        "orders": url_for("orders.index"), "new_order": url_for("orders.new"), "create_order": url_for("orders.create"),
        "order": _template("orders.show", **no), "pack": _template("warehouse.pack", **no),
        "label": _template("warehouse.open_label", **no), "label_code": _template("warehouse.open_label", s="__sig__", **no),
        "scan": url_for("warehouse.scan_post"), "photo": _template("warehouse.upload_photo", **no),
        "scan_for": _template("warehouse.offline_scan", **no),
        "outbound": _template("warehouse.outbound", **no), "handover": _template("warehouse.handover", **no),
        "note": _template("offline.add_note", **no),
        "push_subscriptions": url_for("notify.subscribe"), "push_renew": url_for("notify.renew"),
        "icon": url_for("static", filename="icons/icon-192.png"),
    }


def _offline_actions() -> dict:
    """Say which offline action the order page offers in which states, and which field it writes."""
    handover_from = [source for source, target in vocab.STEPS if target == "in_transit"]
    return {"outbound": {"states": list(vocab.TASK_STATES), "field": "photos"},
            "handover": {"states": handover_from, "field": "carrier"},
            "note": {"states": None, "field": "notes"}}  # None: in any state


def page_map() -> dict:
    """Return what every page's scripts need: named URLs, offline actions and the vocabulary."""
    return {"urls": _urls(), "actions": _offline_actions(), "vocab": vocab.public()}


def _prefix(endpoint: str, **values) -> str:
    return _template(endpoint, **values).split("{")[0]


def _api_prefix() -> list[str]:
    """Return the JSON API's path prefix when the API domain is installed (its docs page is HTML)."""
    api = current_app.blueprints.get("api")
    return [api.url_prefix] if api is not None and api.url_prefix else []


def worker_map(shell: list[str]) -> dict:
    """Return the page map plus what only the service worker needs."""
    body = page_map()
    body["worker"] = {
        "shell": shell, "scripts": script_urls("worker"), "push": url_for("notify.push_worker_code"),
        "static": url_for("static", filename=""),
        # offline, a page that matches the first name is drawn by the offline shell page named second
        "offline_pages": [["new_order", "offline_new"], ["order", "offline_order"], ["pack", "offline_order"],
                          ["label", "offline_order"], ["orders", "offline_home"]],
        # pages never kept in the page cache (path prefixes): order data, sign-in, paper forms, tracking
        "never_cached": [url_for("orders.index"), _prefix("warehouse.pack", order_no="__no__"),
                         _prefix("warehouse.open_label", order_no="__no__"), url_for("auth.login"),
                         url_for("auth.logout"), _prefix("offline.paper_landing", order_no="__no__"),
                         url_for("offline.paper_forms"), _prefix("tracking.track", token="__token__"),
                         url_for("offline.service_worker"), url_for("notify.push_worker_code")]
        + _api_prefix(),
        "sticky_topics": list(STICKY_PUSH_TOPICS),
    }
    return body
