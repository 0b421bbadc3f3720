"""While the database is away (restart, failover) users get a 503 that asks them to retry, never a 500."""
import pytest

from webapp import create_app
from webapp.api.tokens import SCHEME

DOWN = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1


@pytest.fixture
def down_client(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": DOWN, "WTF_CSRF_ENABLED": False,
                      "UPLOAD_DIR": str(tmp_path / "uploads"), "AUDIT_ANCHOR_DIR": str(tmp_path / "anchors"),
                      "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}}})
    return app.test_client()


def test_a_page_that_needs_the_database_answers_503_with_retry_after(down_client):
    resp = down_client.post("/login", data={"username": "anyone", "password": "whatever-123"})
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "5"
    body = resp.get_data(as_text=True)
    assert "服务暂时不可用" in body and "Nothing was saved" in body


def test_the_api_answers_a_json_503(down_client):
    resp = down_client.get("/api/v1/orders", headers={"Authorization": "Bearer " + SCHEME + "x" * 43, "Accept": "application/json"})
    assert resp.status_code == 503
    assert resp.get_json()["error"] == "unavailable"


def test_a_database_error_that_is_a_bug_still_is_a_500(app, client):
    from sqlalchemy.exc import IntegrityError

    @app.get("/boom")
    def boom():
        raise IntegrityError("INSERT", {}, Exception("duplicate"))

    assert client.get("/boom").status_code == 500
