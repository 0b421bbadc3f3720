"""The installable app: manifest, service worker headers and contents, offline shell pages without user data."""
import json
import re


def test_manifest_describes_an_installable_app(client):
    resp = client.get("/manifest.webmanifest")
    assert resp.status_code == 200
    assert resp.mimetype == "application/manifest+json"
    body = json.loads(resp.data)
    assert body["name"] == "订单中枢 OrderHub"
    assert body["display"] == "standalone"
    assert body["theme_color"] == "#0b5cad"
    assert body["start_url"].startswith("/")
    sizes = {(i["sizes"], i["purpose"]) for i in body["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_has_root_scope_and_is_never_cached(client):
    resp = client.get("/sw.js")
    assert resp.status_code == 200
    assert resp.mimetype == "text/javascript"
    assert resp.headers["Service-Worker-Allowed"] == "/"
    assert resp.headers["Cache-Control"] == "no-cache"
    text = resp.get_data(as_text=True)
    assert "__VERSION__" not in text and "__ROUTE_MAP__" not in text


def test_service_worker_precaches_the_shell_and_imports_push_guarded(client):
    text = client.get("/sw.js").get_data(as_text=True)
    worker = json.loads(text.split("self.OrderHub = {routeMap: ")[1].split("};\n")[0])["worker"]
    for url in ("/offline/", "/offline/order"):
        assert url in worker["shell"]
    for name in ("css/app.css", "vendor/htmx-2.0.11.min.js", "icons/icon-192.png", "js/scan.js"):
        stem, ext = name.rsplit(".", 1)  # static files by their content-hashed names
        assert any(re.fullmatch(rf"/static/{re.escape(stem)}\.[0-9a-f]{{10}}\.{ext}", url) for url in worker["shell"]), name
    for url in worker["shell"]:
        assert client.get(url).status_code == 200, url
    assert worker["push"] == "/sw-push.js"
    assert "try { importScripts(WORKER.push); } catch" in text


def test_service_worker_answers_not_modified_to_its_etag(client):
    first = client.get("/sw.js")
    again = client.get("/sw.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_offline_shell_pages_carry_no_user_data(client, login_as):
    user = login_as("warehouse")
    for path in ("/offline/", "/offline/order", "/offline/sync", "/offline/new"):
        page = client.get(path).get_data(as_text=True)
        assert user.username not in page and user.name not in page, path
        assert 'data-offline-page=' in page


def test_every_page_links_the_manifest_and_offline_scripts(client, login_as):
    user = login_as("sales")
    page = client.get("/").get_data(as_text=True)
    assert 'rel="manifest"' in page
    assert re.search(r"js/offline\.[0-9a-f]{10}\.js", page) and 'id="offline-i18n"' in page
    assert f'data-user="{user.id}"' in page


def test_logout_asks_the_browser_to_clear_caches_and_storage(client, login_as):
    login_as("warehouse")
    resp = client.post("/logout")
    assert resp.status_code == 302
    assert resp.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_state_says_who_is_logged_in_and_is_never_stored(client, login_as):
    assert client.get("/offline/state.json").json["user"] is None
    user = login_as("sales")
    resp = client.get("/offline/state.json")
    assert resp.json["user"] == user.id and resp.json["csrf"]
    assert resp.headers["Cache-Control"] == "no-store"
