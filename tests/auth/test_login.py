"""Login, logout, sessions, throttling and password storage."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp.auth.models import LoginAttempt, User
from webapp.core.db import utcnow
from webapp.extensions import db


def _attempts(app):
    with app.app_context():
        return [(a.username, a.outcome) for a in db.session.scalars(select(LoginAttempt).order_by(LoginAttempt.id))]


def test_login_success_redirects_home_and_records_attempt(app, client, make_user):
    make_user("sales", "wang")
    resp = client.post("/login", data={"username": "wang", "password": "correct-horse-1"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    assert _attempts(app) == [("wang", "ok")]


def test_wrong_password_is_refused_in_chinese_and_recorded(app, client, make_user):
    make_user("sales", "wang")
    resp = client.post("/login", data={"username": "wang", "password": "wrong-password"})
    assert resp.status_code == 401
    assert "用户名或密码错误" in resp.get_data(as_text=True)
    assert _attempts(app) == [("wang", "bad_password")]


def test_unknown_user_gets_the_same_message(app, client):
    resp = client.post("/login", data={"username": "ghost", "password": "whatever-1"})
    assert resp.status_code == 401 and "用户名或密码错误" in resp.get_data(as_text=True)
    assert _attempts(app) == [("ghost", "unknown_user")]


def test_empty_form_shows_field_errors(client):
    resp = client.post("/login", data={})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "请输入用户名" in page and "请输入密码" in page


def test_password_is_hashed_with_argon2id(app, make_user, production_hasher):
    user = make_user("sales", "wang")
    with app.app_context():
        stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$") and "correct-horse-1" not in stored
    assert "m=19456" in stored


@pytest.mark.parametrize("password", ["short7!", "x" * 129])
def test_password_length_is_enforced(app, password):
    from webapp.auth.services import UserError, create_user
    with app.app_context(), pytest.raises(UserError):
        create_user("newbie", "sales", password)


def test_growing_delay_after_failures_without_lockout(app, client, make_user):
    make_user("sales", "wang")
    for _ in range(3):
        assert client.post("/login", data={"username": "wang", "password": "bad-password"}).status_code == 401
    resp = client.post("/login", data={"username": "wang", "password": "correct-horse-1"})
    assert resp.status_code == 429
    assert "秒后再试" in resp.get_data(as_text=True)
    assert int(resp.headers["Retry-After"]) >= 1
    # once the delay has passed, the right password works again: no hard lockout
    with app.app_context():
        for a in db.session.scalars(select(LoginAttempt)):
            a.at = a.at - timedelta(minutes=5)
        db.session.commit()
    assert client.post("/login", data={"username": "wang", "password": "correct-horse-1"}).status_code == 302
    assert [o for _, o in _attempts(app)][-2:] == ["throttled", "ok"]


def test_delay_grows_with_each_failure(app, make_user):
    from webapp.auth import throttle
    make_user("sales", "wang")
    waits = []
    with app.app_context():
        for _ in range(6):
            throttle.record_attempt("wang", "10.0.0.1", "bad_password")
            db.session.commit()
            waits.append(throttle.wait_seconds("wang", "10.0.0.1"))
    assert waits[:2] == [0, 0] and waits[2] >= 1
    assert waits[3] < waits[4] < waits[5]


def test_session_is_rotated_at_login(app, client, make_user):
    make_user("sales", "wang")
    with client.session_transaction() as sess:
        sess["planted"] = "attacker"
    client.post("/login", data={"username": "wang", "password": "correct-horse-1"})
    with client.session_transaction() as sess:
        assert "planted" not in sess and sess.get("sid")


def test_session_cookie_flags(app, client, make_user):
    make_user("sales", "wang")
    resp = client.post("/login", data={"username": "wang", "password": "correct-horse-1"})
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout_is_post_only(client, login_as):
    login_as("sales")
    assert client.get("/logout").status_code == 405
    resp = client.post("/logout")
    assert resp.status_code == 302
    assert client.get("/").status_code == 302


def test_bumping_session_epoch_ends_sessions_at_once(app, client, login_as):
    user = login_as("sales")
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.get(User, user.id).session_epoch += 1
        db.session.commit()
    assert client.get("/").status_code == 302


def test_disabled_user_cannot_log_in(app, client, make_user):
    user = make_user("sales", "wang")
    with app.app_context():
        db.session.get(User, user.id).is_active_user = False
        db.session.commit()
    resp = client.post("/login", data={"username": "wang", "password": "correct-horse-1"})
    assert resp.status_code == 401 and "已停用" in resp.get_data(as_text=True)


def test_login_attempt_timestamps_are_utc(app, client, make_user):
    make_user("sales", "wang")
    client.post("/login", data={"username": "wang", "password": "correct-horse-1"})
    with app.app_context():
        at = db.session.scalar(select(LoginAttempt.at))
    assert at.utcoffset() == timedelta(0) and abs(utcnow() - at) < timedelta(minutes=1)
