"""Repeat visits and CPU per page (issue 16): ETag / 304 for unchanged HTML pages, Flask-Babel's faster
context look-up, the offline <head> data built once per language."""
import json

from flask import Response, g, session
from flask_babel import force_locale, gettext

from webapp.core import babel_speed
from webapp.core.conditional import _conditional, page_tag


def test_an_unchanged_page_answers_304_with_no_body(client, login_as):
    login_as("manager")
    first = client.get("/orders")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "private, no-cache"
    tag = first.headers["ETag"]
    again = client.get("/orders", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    compressed = client.get("/orders", headers={"If-None-Match": tag[:-1] + ':br"'})  # as Flask-Compress tags it
    assert compressed.status_code == 304


def test_another_page_or_another_session_gets_the_full_page(client, login_as, app):
    login_as("manager")
    tag = client.get("/orders").headers["ETag"]
    assert client.get("/orders?state=confirmed", headers={"If-None-Match": tag}).status_code == 200
    other = app.test_client()
    login_as("manager", c=other)  # its own session: its own CSRF token in the page
    assert other.get("/orders", headers={"If-None-Match": tag}).status_code == 200


def test_the_tag_ignores_the_signed_token_but_follows_the_session_token(app):
    def tag(signed: str, raw: str) -> str:
        with app.test_request_context("/"):
            session["csrf_token"], g.csrf_token = raw, signed
            return page_tag(Response(f'<input name="csrf_token" value="{signed}"><p>page</p>', mimetype="text/html"))
    assert tag("raw.1700000000.sig", "raw") == tag("raw.1700000009.other", "raw")
    assert tag("raw.1700000000.sig", "raw") != tag("new.1700000000.sig", "new")


def test_no_store_pages_and_other_requests_are_left_alone(app):
    with app.test_request_context("/"):
        kept = _conditional(Response("<p>secret</p>", mimetype="text/html", headers={"Cache-Control": "no-store"}))
        data = _conditional(Response("{}", mimetype="application/json"))
    with app.test_request_context("/", method="POST"):
        posted = _conditional(Response("<p>done</p>", mimetype="text/html"))
    assert "ETag" not in kept.headers and "ETag" not in data.headers and "ETag" not in posted.headers


def test_translations_and_force_locale_work_with_the_fast_lookup(app):
    import flask_babel
    assert flask_babel._get_current_context is babel_speed._get_current_context
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        chinese = gettext("Log in")
        with force_locale("en"):
            assert gettext("Log in") == "Log in"
        assert gettext("Log in") == chinese != "Log in"


def test_the_offline_head_data_follows_the_language(client):
    def words(url):
        page = client.get(url).get_data(as_text=True)
        return json.loads(page.split('<script type="application/json" id="offline-i18n">')[1].split("</script>")[0])
    assert words("/login")["status_never"] == "离线数据: 尚未下载"
    assert words("/login?lang=en")["status_never"] == "Offline copy: not loaded yet"
    assert words("/login?lang=zh_CN")["status_never"] == "离线数据: 尚未下载"
