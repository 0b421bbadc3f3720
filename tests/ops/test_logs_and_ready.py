"""The JSON request log with its request id, and `/readyz` (ready, behind on migrations, no database)."""
import json
import socket

import pytest
from sqlalchemy import text

from webapp import create_app
from webapp.extensions import db
from webapp.ops import logs


@pytest.fixture
def json_app(app):
    """The test app with the JSON request log switched on (and off again afterwards)."""
    app.config["LOG_FORMAT"] = "json"
    logs.configure(app)
    yield app
    app.config["LOG_FORMAT"] = "off"
    logs.configure(app)


def _log_lines(err: str) -> list[dict]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


def test_request_log_line_is_json_with_the_request_id(json_app, capsys, login_as):
    client = json_app.test_client()
    user = login_as("sales", c=client)
    capsys.readouterr()
    resp = client.get("/orders/SO20260101-0001", headers={"X-Request-ID": "edge-4f1c2a9b"})
    assert resp.headers["X-Request-ID"] == "edge-4f1c2a9b"
    [line] = _log_lines(capsys.readouterr().err)
    assert line["request_id"] == "edge-4f1c2a9b"
    assert line["method"] == "GET" and line["route"] == "/orders/<order_no>"
    assert line["status"] == resp.status_code and line["user_id"] == user.id
    assert isinstance(line["ms"], float)


@pytest.mark.parametrize("given", ["short", "has space in it", 'x"}{"injected":1', "a" * 200])
def test_malformed_request_id_is_replaced(json_app, capsys, given):
    resp = json_app.test_client().get("/healthz", headers={"X-Request-ID": given})
    rid = resp.headers["X-Request-ID"]
    assert rid != given and len(rid) == 32
    [line] = _log_lines(capsys.readouterr().err)
    assert line["request_id"] == rid and "injected" not in line


def test_readyz_is_ready_on_a_migrated_database(client):
    resp = client.get("/readyz")
    assert resp.status_code == 200
    assert resp.json == {"status": "ready", "checks": {"db": "ok", "migrations": "ok", "store": "ok"}}


def test_readyz_is_503_when_migrations_are_behind(app, client):
    with app.app_context():
        head = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        db.session.execute(text("UPDATE alembic_version SET version_num = 'w1_older'"))
        db.session.commit()
    try:
        resp = client.get("/readyz")
        assert resp.status_code == 503
        assert resp.json["status"] == "not_ready"
        assert resp.json["checks"]["migrations"].startswith("at w1_older, code expects ")
    finally:  # the PostgreSQL test database is shared by the tests after this one (its version row is kept)
        with app.app_context():
            db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
            db.session.commit()


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db",
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 503
    assert resp.json["checks"]["db"] == "unreachable"
    with app.app_context():
        db.engine.dispose()


def test_readyz_is_503_when_the_upload_store_is_not_writable(app, client, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    app.config["UPLOAD_DIR"] = str(blocker / "uploads")
    resp = client.get("/readyz")
    assert resp.status_code == 503
    assert resp.json["checks"]["store"].startswith("error")


def test_readyz_is_503_when_configured_redis_does_not_answer(app, client):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    resp = client.get("/readyz")
    assert resp.status_code == 503
    assert resp.json["checks"]["redis"].startswith("error")
    assert resp.json["checks"]["db"] == "ok"
