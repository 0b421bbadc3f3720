"""Offline PWA routes: manifest, service worker, offline shell pages, the 24-hour copy, session state."""
import hashlib
import json
from pathlib import Path

from flask import (Blueprint, Response, current_app, has_request_context, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import get_locale, gettext as _
from flask_login import AnonymousUserMixin, current_user, login_required
from flask_wtf.csrf import generate_csrf

from webapp.core.render import wants_json
from webapp.core.sessions import stateless
from webapp.offline import copy as offline_copy
from webapp.offline import notes
from webapp.offline import origin
from webapp.offline import routes
from webapp.offline.origin import write_origin
from webapp.orders import txn
from webapp.offline import idempotency
from webapp.offline.strings import offline_strings

bp = Blueprint("offline", __name__)
bp.before_app_request(idempotency.before_request)
bp.before_app_request(origin.bind_device_time)
bp.teardown_app_request(origin.unbind_device_time)
ROOT = Path(__file__).resolve().parents[2]
SW_SOURCE = ROOT / "service_worker" / "sw.js"
# The app shell besides the scripts (those come from routes.SCRIPTS): styles, htmx, the QR decoder, icons.
STATIC_FILES = ("css/app.css", "css/offline.css", "css/warehouse.css", "vendor/htmx-2.0.11.min.js",
                "vendor/jsQR-1.4.0.min.js", "icons/icon-192.png", "icons/icon-512.png", "icons/icon-maskable-512.png")
SHELL_PAGES = ("offline.home", "offline.order", "offline.sync", "offline.new")
THEME = "#0b5cad"


@bp.after_app_request
def _after(resp):
    """Store idempotent responses; ask the browser to wipe caches and storage on logout."""
    if request.endpoint == "auth.logout" and resp.status_code in (302, 303):
        resp.headers["Clear-Site-Data"] = '"cache", "storage"'
    return idempotency.finish(resp)


def _per_app(name: str, build, *args):
    """Build once per app, mount point and arguments: none of these change while the app runs."""
    memo = current_app.extensions.setdefault("offline_page_memo", {})
    key = (name, request.script_root if has_request_context() else "", *args)
    if key not in memo:
        memo[key] = build(*args)
    return memo[key]


@bp.app_context_processor
def _strings():
    # every page's <head> carries these: built once per language, not per request (issue 16: CPU per page)
    return {"offline_strings": lambda: _per_app("strings", lambda _lang: offline_strings(), str(get_locale())),
            "route_map": lambda: _per_app("routes", routes.page_map),
            "script_urls": lambda kind: _per_app("scripts", routes.script_urls, kind)}


def static_shell() -> list[str]:
    """Return the static files of the app shell: styles, vendor files, icons and every offline page's scripts."""
    return list(STATIC_FILES) + routes.offline_script_files()


@bp.get("/manifest.webmanifest")
@stateless
def manifest():
    """Describe the installable app."""
    icon = lambda name, size, purpose: {"src": url_for("static", filename=f"icons/{name}"), "sizes": size,  # noqa: E731
                                        "type": "image/png", "purpose": purpose}
    body = {
        "id": "/", "name": "订单中枢 OrderHub", "short_name": "订单中枢", "lang": "zh-CN",
        "description": _("The order hub: scan, pack, ship and follow orders, also offline."),
        "start_url": url_for("home.index", source="pwa"), "scope": "/", "display": "standalone",
        "orientation": "portrait", "theme_color": THEME, "background_color": "#ffffff",
        "icons": [icon("icon-192.png", "192x192", "any"), icon("icon-512.png", "512x512", "any"),
                  icon("icon-maskable-512.png", "512x512", "maskable")],
    }
    resp = current_app.response_class(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
    resp.headers["Cache-Control"] = "no-cache"
    return resp


def shell_urls() -> list[str]:
    """Return what the service worker precaches: static app shell files and the offline pages."""
    return ([url_for("static", filename=name) for name in static_shell()]
            + [url_for(endpoint) for endpoint in SHELL_PAGES])


def shell_version(route_map: dict) -> str:
    """Hash the worker, the shell files and the route map: any change makes a new worker with new caches."""
    digest = hashlib.sha256(SW_SOURCE.read_bytes())
    static = Path(current_app.static_folder)
    for name in static_shell():
        path = static / name
        digest.update(path.read_bytes() if path.exists() else name.encode())
    for template in ("base.html", "pages/offline/layout.html"):
        digest.update((ROOT / "templates" / template).read_bytes())
    digest.update(json.dumps(route_map, sort_keys=True).encode())
    return digest.hexdigest()[:12]


@bp.get("/sw.js")
@stateless
def service_worker():
    """Serve the service worker for the whole site, never from a stale HTTP cache."""
    route_map = routes.worker_map(shell_urls())
    source = SW_SOURCE.read_text().replace("__VERSION__", shell_version(route_map)).replace(
        "__ROUTE_MAP__", json.dumps(route_map))
    resp = Response(source, mimetype="text/javascript")
    resp.headers["Service-Worker-Allowed"] = "/"
    resp.headers["Cache-Control"] = "no-cache"
    resp.add_etag()
    return resp.make_conditional(request)


def _shell(template: str):
    """Render an offline shell page: no user data in it (the scripts fill it from the device's copy)."""
    resp = Response(render_template(template, current_user=AnonymousUserMixin(), shell=True))
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.get("/offline/")
@stateless
def home():
    """The offline order list and search (filled from the device's copy)."""
    return _shell("pages/offline/home.html")


@bp.get("/offline/order")
@stateless
def order():
    """One order from the device's copy, with the actions that work offline."""
    return _shell("pages/offline/order.html")


@bp.get("/offline/sync")
@stateless
def sync():
    """Actions waiting to sync and sync problems."""
    return _shell("pages/offline/sync.html")


@bp.get("/offline/new")
@stateless
def new():
    """Enter a new order while offline; it is sent when the network is back."""
    return _shell("pages/offline/new.html")


def _no_store(resp):
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/offline/copy.json")
@login_required
def copy():
    """Return the 24-hour copy for the logged-in user."""
    body = offline_copy.dumps(offline_copy.build_copy(current_user))
    return _no_store(current_app.response_class(body, mimetype="application/json"))


@bp.get("/offline/state.json")
def state():
    """Say who is logged in on this device and hand out a fresh CSRF token and replay ticket for queued replays."""
    user = current_user if current_user.is_authenticated else None
    return _no_store(jsonify(user=getattr(user, "id", None), username=getattr(user, "username", None),
                             csrf=generate_csrf(), replay=origin.replay_ticket(user) if user else None))


@bp.post("/offline/orders/<order_no>/note")
@login_required
def add_note(order_no: str):
    """Add a note to an order (the offline queue's "add note"; also works online)."""
    via, _device_at = write_origin()
    txn.run(lambda: notes.add_note(order_no, request.form.get("note", ""), actor=current_user, via=via),
            actor=current_user, via=via)
    if wants_json():
        return jsonify(order_no=order_no, status="ok"), 201
    return redirect(url_for("offline.order", no=order_no), 303)


from webapp.offline import paper_views  # noqa: E402,F401  (routes on bp)
