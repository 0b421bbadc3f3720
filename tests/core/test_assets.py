"""Bytes on the wire: compressed pages, JSON and scripts; static files hashed, precompressed, cached for good."""
import brotli
import gzip
import json
import re

from flask import url_for

from tests.factories import make_order

HTMX = "vendor/htmx-2.0.11.min.js"


def _static_url(app, name):
    with app.test_request_context():
        return url_for("static", filename=name)


def _decoded(resp):
    """Return the body as the browser would see it after undoing Content-Encoding."""
    coding = resp.headers.get("Content-Encoding")
    return {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[coding](resp.data)


def test_htmx_goes_out_gzip_or_brotli_not_53_kb(app, client):
    url = _static_url(app, HTMX)
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    brot = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert plain.headers.get("Content-Encoding") is None and len(plain.data) > 50_000
    assert zipped.headers["Content-Encoding"] == "gzip" and len(zipped.data) < 18_000
    assert brot.headers["Content-Encoding"] == "br" and len(brot.data) < len(zipped.data)
    assert _decoded(zipped) == _decoded(brot) == plain.data
    assert "Accept-Encoding" in brot.headers["Vary"]


def test_hashed_url_is_immutable_for_a_year(app, client):
    url = _static_url(app, HTMX)
    assert re.fullmatch(r"/static/vendor/htmx-2\.0\.11\.min\.[0-9a-f]{10}\.js", url)
    resp = client.get(url)
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_plain_url_still_works_and_revalidates(client):
    resp = client.get(f"/static/{HTMX}", headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200 and resp.headers["Content-Encoding"] == "gzip"
    assert resp.headers["Cache-Control"] == "no-cache"
    again = client.get(f"/static/{HTMX}", headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304


def test_hash_follows_the_content(app, client):
    from webapp.core.assets import hashed_name
    assert hashed_name("js/a.js", b"one") != hashed_name("js/a.js", b"two")
    url = _static_url(app, "css/app.css")
    assert client.get(url).data == client.get("/static/css/app.css").data


def test_a_page_is_compressed_and_unknown_encodings_get_identity(client, login_as):
    login_as("warehouse")
    brot = client.get("/", headers={"Accept-Encoding": "br"})
    assert brot.headers["Content-Encoding"] == "br" and "<html" in _decoded(brot).decode()
    for accept in ("compress", "deflate", "identity", ""):
        resp = client.get("/", headers={"Accept-Encoding": accept} if accept else {})
        assert "Content-Encoding" not in resp.headers, accept
        assert "<html" in resp.get_data(as_text=True)


def test_offline_copy_json_is_compressed(app, client, login_as):
    user = login_as("sales")
    with app.app_context():
        for _ in range(6):
            make_order(salesperson=user)
    plain = client.get("/offline/copy.json")
    zipped = client.get("/offline/copy.json", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and len(zipped.data) < len(plain.data) / 2
    assert zipped.headers["Cache-Control"] == "no-store"
    fresh, again = json.loads(_decoded(zipped)), plain.json
    assert fresh["orders"] == again["orders"]


def test_service_worker_precaches_hashed_names(client):
    text = client.get("/sw.js", headers={"Accept-Encoding": "gzip"})
    body = _decoded(text).decode()
    assert re.search(r'"/static/vendor/htmx-2\.0\.11\.min\.[0-9a-f]{10}\.js"', body)
    assert '"/static/vendor/htmx-2.0.11.min.js"' not in body
