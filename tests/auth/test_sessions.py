"""Server-side sessions: a copied cookie dies with its session; idle and absolute lifetimes; My sessions."""
import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.access.helpers import PASSWORD, step_up
from webapp.api import tokens
from webapp.auth.models import User, UserSession
from webapp.core.db import utcnow
from webapp.extensions import db


def session_cookie(client) -> str:
    """Return the value of the client's Flask session cookie."""
    return client.get_cookie("session", domain="orderhub.test").value


def thief(app, cookie: str):
    """Return a fresh client that holds nothing but a copy of `cookie`."""
    other = app.test_client()
    other.set_cookie("session", cookie, domain="orderhub.test")
    return other


def works(client) -> bool:
    """Say whether the client's session still opens a logged-in page."""
    resp = client.get("/")
    assert resp.status_code in (200, 302)
    return resp.status_code == 200


def _rows(app, user_id=None) -> list[UserSession]:
    with app.app_context():
        stmt = select(UserSession).order_by(UserSession.id)
        rows = list(db.session.scalars(stmt if user_id is None else stmt.where(UserSession.user_id == user_id)))
        db.session.expunge_all()
        return rows


def _admin(app, login_as):
    admin = app.test_client()
    login_as("admin", c=admin)
    step_up(admin)
    return admin


EVENTS = {
    "logout": lambda app, login_as, victim, user: victim.post("/logout"),
    "password change": lambda app, login_as, victim, user: _admin(app, login_as).post(
        f"/admin/users/{user.id}/password", data={"password": "another-horse-2"}),
    "disable": lambda app, login_as, victim, user: _admin(app, login_as).post(
        f"/admin/users/{user.id}/active", data={"active": "0"}),
    "role change": lambda app, login_as, victim, user: _admin(app, login_as).post(
        f"/admin/users/{user.id}", data={"role": "support", "display_name": user.username}),
}


@pytest.mark.parametrize("event", EVENTS)
def test_a_copied_cookie_stops_working(app, client, login_as, event):
    user = login_as("sales")
    copy = thief(app, session_cookie(client))
    assert works(copy)
    resp = EVENTS[event](app, login_as, client, user)
    assert resp.status_code in (302, 303), resp.data[:300]
    assert not works(copy)
    assert not works(client)
    reasons = {r.revoked_reason for r in _rows(app, user.id)}
    assert reasons == {{"logout": "logout", "password change": "password_changed", "disable": "disabled",
                        "role change": "role_changed"}[event]}


def test_password_change_ends_every_session_of_the_user_not_others(app, client, login_as):
    user = login_as("sales")
    phone = app.test_client()
    phone.post("/login", data={"username": user.username, "password": PASSWORD})
    bystander = app.test_client()
    login_as("sales", c=bystander)
    assert works(client) and works(phone) and works(bystander)
    _admin(app, login_as).post(f"/admin/users/{user.id}/password", data={"password": "another-horse-2"})
    assert not works(client) and not works(phone)
    assert works(bystander)


def test_only_a_hash_of_the_token_is_stored(app, client, login_as):
    user = login_as("sales")
    with client.session_transaction() as sess:
        token = sess["sid"]
    (row,) = _rows(app, user.id)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.token_hash
    assert row.ip == "127.0.0.1" and row.revoked_at is None


def test_the_session_records_a_user_agent_summary(app, login_as):
    phone = app.test_client()
    phone.environ_base["HTTP_USER_AGENT"] = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15"
                                             " (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
    user = login_as("warehouse", c=phone)
    assert _rows(app, user.id)[0].user_agent == "Safari · iPhone"


def _age(app, user_id, **fields):
    with app.app_context():
        db.session.execute(update(UserSession).where(UserSession.user_id == user_id).values(**fields))
        db.session.commit()


@pytest.mark.parametrize("field,age,alive", [
    ("last_seen_at", timedelta(hours=7, minutes=58), True),
    ("last_seen_at", timedelta(hours=8, minutes=1), False),    # idle: 8 h by default
    ("created_at", timedelta(days=6, hours=23), True),
    ("created_at", timedelta(days=7, minutes=1), False),       # absolute: 7 days by default
])
def test_idle_and_absolute_lifetimes(app, client, login_as, field, age, alive):
    user = login_as("sales")
    _age(app, user.id, **{field: utcnow() - age})
    assert works(client) is alive


def test_lifetimes_follow_the_configuration(app, client, login_as):
    app.config["SESSION_IDLE_MINUTES"] = 30
    user = login_as("sales")
    _age(app, user.id, last_seen_at=utcnow() - timedelta(minutes=31))
    assert not works(client)


def test_last_seen_is_written_at_most_once_a_minute(app, client, login_as):
    user = login_as("sales")
    first = _rows(app, user.id)[0].last_seen_at
    works(client)
    assert _rows(app, user.id)[0].last_seen_at == first  # within the minute: no write
    _age(app, user.id, last_seen_at=utcnow() - timedelta(minutes=5))
    works(client)
    assert utcnow() - _rows(app, user.id)[0].last_seen_at < timedelta(seconds=30)
    _age(app, user.id, last_seen_at=utcnow() - timedelta(minutes=5))
    client.post("/lang", data={"lang": "en"})  # a writing request notes it in its own transaction
    assert utcnow() - _rows(app, user.id)[0].last_seen_at < timedelta(seconds=30)


def test_my_sessions_lists_live_sessions_and_marks_this_one(app, client, login_as):
    user = login_as("sales")
    phone = app.test_client()
    phone.post("/login", data={"username": user.username, "password": PASSWORD})
    old = app.test_client()
    old.post("/login", data={"username": user.username, "password": PASSWORD})
    old_id = _rows(app, user.id)[-1].id
    with app.app_context():
        db.session.execute(update(UserSession).where(UserSession.id == old_id)
                           .values(last_seen_at=utcnow() - timedelta(days=1)))
        db.session.commit()
    page = client.get("/account/sessions").get_data(as_text=True)
    assert page.count("data-session=") == 2 and f'data-session="{old_id}"' not in page
    assert page.count("data-this-session") == 1 and "结束其他所有会话" in page
    assert 'href="/account/sessions"' in client.get("/").get_data(as_text=True)  # linked from every page


def test_end_one_other_session(app, client, login_as):
    user = login_as("sales")
    phone = app.test_client()
    phone.post("/login", data={"username": user.username, "password": PASSWORD})
    phone_id = _rows(app, user.id)[-1].id
    resp = client.post(f"/account/sessions/{phone_id}/end")
    assert resp.status_code == 302 and resp.headers["Location"] == "/account/sessions"
    assert not works(phone) and works(client)


def test_end_this_session_logs_out_here(app, client, login_as):
    user = login_as("sales")
    here = _rows(app, user.id)[0].id
    resp = client.post(f"/account/sessions/{here}/end")
    assert resp.headers["Location"].startswith("/login")
    assert not works(client)


def test_end_all_others_keeps_this_one(app, client, login_as):
    user = login_as("sales")
    devices = [app.test_client() for _ in range(3)]
    for d in devices:
        d.post("/login", data={"username": user.username, "password": PASSWORD})
    assert client.post("/account/sessions/end-others").status_code == 302
    assert works(client) and not any(works(d) for d in devices)
    assert [r.revoked_reason for r in _rows(app, user.id)] == [None, "ended_by_user", "ended_by_user",
                                                                "ended_by_user"]


def test_a_user_cannot_end_someone_elses_session(app, client, login_as):
    login_as("sales")
    other = app.test_client()
    victim = login_as("sales", c=other)
    victim_session = _rows(app, victim.id)[0].id
    assert client.post(f"/account/sessions/{victim_session}/end").status_code == 404
    assert works(other)


def test_session_pages_need_login(client):
    assert client.get("/account/sessions").status_code == 302
    assert client.post("/account/sessions/end-others").status_code == 302


def test_strong_session_protection_still_binds_the_user_agent(app, client, login_as):
    login_as("sales")
    copy = thief(app, session_cookie(client))
    copy.environ_base["HTTP_USER_AGENT"] = "Other/1.0"
    assert not works(copy)
    assert works(client)


def test_shell_pages_stay_stateless_for_a_logged_in_user(app, client, login_as):
    login_as("sales")
    resp = client.get("/offline/")
    assert resp.status_code == 200 and "Set-Cookie" not in resp.headers


def test_api_tokens_do_not_depend_on_sessions(app, client, login_as):
    user = login_as("sales")
    with app.app_context():
        _token, raw = tokens.create_token(db.session.get(User, user.id), actor=None, via="system")
        db.session.commit()
    client.post("/logout")
    resp = app.test_client().get("/api/v1/orders", headers={"Authorization": f"Bearer {raw}"})
    assert resp.status_code == 200


def test_a_remember_me_cookie_cannot_revive_an_ended_session(app, client, login_as):
    from flask_login.utils import encode_cookie
    user = login_as("sales")
    client.post("/logout")
    with app.test_request_context():
        remember = encode_cookie(db.session.get(User, user.id).get_id())
    revived = app.test_client()
    revived.set_cookie("remember_token", remember, domain="orderhub.test")
    assert not works(revived)
