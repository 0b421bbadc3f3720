"""Health check, error pages in both languages, JSON errors, request size limit, CSRF."""
import pytest

from webapp import create_app


def test_healthz_reports_ok(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok", "db": "ok"}


def test_healthz_503_when_database_unreachable(tmp_path):
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503
    assert resp.get_json()["db"] != "ok"


def test_unknown_route_is_404_page_in_chinese(client):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    assert "页面或记录不存在" in resp.get_data(as_text=True)


def test_unknown_route_in_english_on_request(client):
    resp = client.get("/no/such/page?lang=en")
    assert "does not exist" in resp.get_data(as_text=True)


def test_json_client_gets_json_error(client):
    resp = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert resp.status_code == 404
    body = resp.get_json()
    assert body["error"] == "not_found" and body["message"] and body["fields"] == []


def test_ten_megabyte_form_post_is_refused_with_413(client):
    resp = client.post("/login", data={"username": "x", "password": "y" * (10 * 1024 * 1024)})
    assert resp.status_code == 413
    assert "太大" in resp.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/login", "/logout", "/lang"])
def test_post_without_csrf_token_is_refused(app, path):
    app.config["WTF_CSRF_ENABLED"] = True
    resp = app.test_client().post(path, data={"username": "a", "password": "b"})
    assert resp.status_code == 400
    assert "会话已过期" in resp.get_data(as_text=True)


def test_security_headers_present(client):
    resp = client.get("/login")
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
