"""Idempotency-Key: the same key from the same user changes nothing again and answers as the first time."""
from datetime import timedelta

import pytest
from flask import g, jsonify
from flask_login import login_required
from sqlalchemy import func, select

from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.offline import idempotency
from webapp.offline.models import IdempotencyKey

KEY = "9b2f6c1e-5d7a-4c1b-9e3f-0a1b2c3d4e5f"


@pytest.fixture
def calls(app):
    """Test routes that count how often they really ran (added before the first request)."""
    seen = []

    @app.post("/_t/count")
    @login_required
    def _count():
        seen.append("count")
        resp = jsonify(n=len(seen))
        resp.status_code = 201
        resp.headers["Location"] = f"/things/{len(seen)}"
        return resp

    @app.post("/_t/refuse")
    @login_required
    def _refuse():
        seen.append("refuse")
        return jsonify(error="conflict", message="moved on"), 409

    @app.post("/_t/boom")
    @login_required
    def _boom():
        seen.append("boom")
        raise RuntimeError("database fell over")

    @app.post("/_t/token")
    @idempotency.idempotent(actor=lambda: g.token_user)
    def _token():
        seen.append("token")
        return jsonify(n=len(seen)), 201

    @app.before_request
    def _token_user():
        from webapp.auth.models import User
        g.token_user = db.session.scalar(select(User).limit(1))
    return seen


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(IdempotencyKey))


def test_same_key_runs_once_and_replays_the_first_response(client, calls, login_as):
    login_as("warehouse")
    first = client.post("/_t/count", headers={"Idempotency-Key": KEY})
    for _ in range(3):
        again = client.post("/_t/count", headers={"Idempotency-Key": KEY})
        assert again.status_code == 201
        assert again.json == first.json == {"n": 1}
        assert again.headers["Location"] == first.headers["Location"]
        assert again.headers["Idempotent-Replayed"] == "true"
    assert calls == ["count"]


def test_a_new_key_runs_again_and_no_key_is_not_stored(app, client, calls, login_as):
    login_as("warehouse")
    client.post("/_t/count", headers={"Idempotency-Key": KEY})
    client.post("/_t/count", headers={"Idempotency-Key": KEY.replace("9", "8")})
    client.post("/_t/count")
    assert calls == ["count"] * 3
    assert stored(app) == 2


def test_keys_are_per_user(client, app, calls, login_as):
    login_as("warehouse")
    client.post("/_t/count", headers={"Idempotency-Key": KEY})
    other = app.test_client()
    login_as("sales", c=other)
    resp = other.post("/_t/count", headers={"Idempotency-Key": KEY})
    assert resp.json == {"n": 2} and "Idempotent-Replayed" not in resp.headers


def test_a_refusal_is_replayed_too(client, calls, login_as):
    login_as("warehouse")
    first = client.post("/_t/refuse", headers={"Idempotency-Key": KEY})
    again = client.post("/_t/refuse", headers={"Idempotency-Key": KEY})
    assert first.status_code == again.status_code == 409
    assert again.json["message"] == "moved on"
    assert calls == ["refuse"]


def test_a_server_error_releases_the_key_for_a_retry(app, client, calls, login_as):
    login_as("warehouse")
    assert client.post("/_t/boom", headers={"Idempotency-Key": KEY}).status_code == 500
    assert client.post("/_t/boom", headers={"Idempotency-Key": KEY}).status_code == 500
    assert calls == ["boom", "boom"]
    assert stored(app) == 0


def test_a_key_reused_for_another_request_is_refused(client, calls, login_as):
    login_as("warehouse")
    client.post("/_t/count", headers={"Idempotency-Key": KEY})
    resp = client.post("/_t/refuse", headers={"Idempotency-Key": KEY})
    assert resp.status_code == 422 and resp.json["error"] == "idempotency_key_reused"
    assert calls == ["count"]


def test_a_repeat_while_the_first_still_runs_waits(app, client, calls, login_as):
    user = login_as("warehouse")
    with app.app_context():
        db.session.add(IdempotencyKey(user_id=user.id, key=KEY, method="POST", path="/_t/count"))
        db.session.commit()
    resp = client.post("/_t/count", headers={"Idempotency-Key": KEY})
    assert resp.status_code == 409 and resp.json["error"] == "idempotency_in_progress"
    assert resp.headers["Retry-After"]
    assert calls == []


def test_a_claim_left_by_a_crashed_request_is_taken_over(app, client, calls, login_as):
    user = login_as("warehouse")
    with app.app_context():
        db.session.add(IdempotencyKey(user_id=user.id, key=KEY, method="POST", path="/_t/count",
                                      created_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
    assert client.post("/_t/count", headers={"Idempotency-Key": KEY}).status_code == 201
    assert client.post("/_t/count", headers={"Idempotency-Key": KEY}).headers["Idempotent-Replayed"] == "true"
    assert calls == ["count"]


def test_malformed_keys_are_refused(client, calls, login_as):
    login_as("warehouse")
    resp = client.post("/_t/count", headers={"Idempotency-Key": "a b"})
    assert resp.status_code == 400 and calls == []


def test_anonymous_requests_are_not_keyed(app, client, calls):
    client.post("/_t/count", headers={"Idempotency-Key": KEY})
    assert stored(app) == 0


def test_decorator_keys_views_whose_user_comes_from_a_token(client, calls, make_user):
    make_user("admin")
    first = client.post("/_t/token", headers={"Idempotency-Key": KEY})
    again = client.post("/_t/token", headers={"Idempotency-Key": KEY})
    assert first.json == again.json == {"n": 1}
    assert calls == ["token"]
