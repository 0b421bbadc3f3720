"""What the service worker fetches never sets or touches the session cookie (the login race)."""
import pytest

SHELL = ("/offline/", "/offline/order", "/offline/sync", "/offline/new", "/sw.js", "/manifest.webmanifest")


def _set_cookies(resp):
    return resp.headers.getlist("Set-Cookie")


@pytest.mark.parametrize("path", SHELL)
def test_shell_answers_carry_no_set_cookie_without_cookies(app, path):
    fresh = app.test_client(use_cookies=False)  # as the worker's precache: credentials omitted
    resp = fresh.get(path)
    assert resp.status_code == 200 and _set_cookies(resp) == [], path


def test_shell_answers_leave_a_logged_in_session_alone(client, login_as):
    login_as("warehouse")
    before = client.get_cookie("session", domain="orderhub.test").value
    for path in SHELL:
        assert _set_cookies(client.get(path)) == [], path
    assert client.get_cookie("session", domain="orderhub.test").value == before
    assert client.get("/").status_code == 200  # still logged in


def test_a_late_shell_answer_cannot_undo_a_login(app, client, make_user):
    """The race: a shell fetch started before the login answers after it; the user stays logged in."""
    user = make_user("warehouse")
    client.get("/login")
    anonymous = client.get_cookie("session", domain="orderhub.test").value
    late = app.test_client()
    late.set_cookie("session", anonymous, domain="orderhub.test")  # the precache request went out with the old cookie
    assert client.post("/login", data={"username": user.username, "password": "correct-horse-1"}).status_code == 302
    assert _set_cookies(late.get("/offline/new")) == []
    assert client.get("/").status_code == 200


def test_pages_of_the_user_still_set_the_cookie(app):
    resp = app.test_client(use_cookies=False).get("/login")
    assert any(c.startswith("session=") for c in _set_cookies(resp))
