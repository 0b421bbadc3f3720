"""Logins (success and failure) and logouts land in the audit log."""
from tests.access.helpers import PASSWORD, entries


def test_successful_login_and_logout_are_recorded(app, client, make_user):
    make_user("sales", "wang")
    client.post("/login", data={"username": "wang", "password": PASSWORD})
    client.post("/logout")
    assert [(e.action, e.actor, e.via) for e in entries(app)] == [("login", "wang", "web"), ("logout", "wang", "web")]


def test_failed_logins_are_recorded_without_the_password(app, client, make_user):
    make_user("sales", "wang")
    client.post("/login", data={"username": "wang", "password": "guess-guess-1"})
    client.post("/login", data={"username": "ghost", "password": "guess-guess-2"})
    rows = entries(app, "login_failed")
    assert [(e.new, e.detail.split()[0]) for e in rows] == [("wang", "outcome=bad_password"),
                                                           ("ghost", "outcome=unknown_user")]
    assert all("guess" not in f"{e.old}{e.new}{e.detail}" for e in rows)


def test_disabled_user_login_is_recorded(app, client, make_user):
    from webapp.auth.models import User
    from webapp.extensions import db
    user = make_user("sales", "wang")
    with app.app_context():
        db.session.get(User, user.id).is_active_user = False
        db.session.commit()
    client.post("/login", data={"username": "wang", "password": PASSWORD})
    assert entries(app, "login_failed")[0].detail.startswith("outcome=disabled")
