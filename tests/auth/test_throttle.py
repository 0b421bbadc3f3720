"""Login throttling slows the guessing client only: other addresses and known devices keep logging in."""
import pytest
from sqlalchemy import select

from tests.access.helpers import PASSWORD, step_up
from webapp.audit.models import AuditEntry
from webapp.auth import throttle
from webapp.auth.models import LoginAttempt
from webapp.extensions import db


def device(app, ip: str):
    """Return a test client that comes from `ip`."""
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = ip
    return c


def attempt(c, username: str, password: str = "wrong-guess-1") -> int:
    """Try to log in; return the status code."""
    return c.post("/login", data={"username": username, "password": password}).status_code


def guess(app, ip: str, username: str, times: int) -> list[int]:
    """Let an attacker at `ip` guess `username`'s password `times` times."""
    attacker = device(app, ip)
    return [attempt(attacker, username) for _ in range(times)]


def failures(app, ip: str, username: str, times: int) -> None:
    """Record `times` failed guesses at once (deterministic: no growing delay runs out meanwhile)."""
    with app.app_context():
        for _ in range(times):
            throttle.record_attempt(username, ip, "bad_password")
        db.session.commit()


def device_cookie(c):
    """Return the device cookie the client holds (path /login), or None."""
    return c.get_cookie(throttle.DEVICE_COOKIE, domain="orderhub.test", path="/login")


@pytest.fixture
def known_phone(app, make_user):
    """wang's phone at 10.0.0.7, which logged in once and logged out again (it holds a device cookie)."""
    make_user("sales", "wang")
    phone = device(app, "10.0.0.7")
    assert attempt(phone, "wang", PASSWORD) == 302
    phone.post("/logout")
    assert device_cookie(phone) is not None
    return phone


def test_the_guessing_client_is_slowed_down(app, make_user):
    make_user("sales", "wang")
    codes = guess(app, "203.0.113.5", "wang", 8)  # delays of 1, 2, 4 … s: a 429 comes however slow the box
    assert codes[:3] == [401, 401, 401] and 429 in codes[3:]


def test_guessing_from_one_address_does_not_lock_out_the_user_elsewhere(app, make_user):
    make_user("sales", "wang")
    guess(app, "203.0.113.5", "wang", 30)
    assert attempt(device(app, "198.51.100.2"), "wang", PASSWORD) == 302


@pytest.mark.parametrize("attacker_ip", ["10.0.0.7", "203.0.113.5"])  # behind the same NAT, or elsewhere
def test_guessing_does_not_lock_out_a_known_device(app, known_phone, attacker_ip):
    guess(app, attacker_ip, "wang", 30)
    assert attempt(known_phone, "wang", PASSWORD) == 302


def test_guessing_from_many_addresses_slows_unknown_clients_but_not_known_devices(app, known_phone):
    for n in range(12):
        failures(app, f"203.0.113.{n + 10}", "wang", 2)
    assert attempt(device(app, "198.51.100.2"), "wang", PASSWORD) == 429
    assert attempt(known_phone, "wang", PASSWORD) == 302


def test_a_known_device_has_its_own_allowance(app, known_phone):
    codes = [attempt(known_phone, "wang") for _ in range(10)]
    assert codes[:5] == [401] * 5 and 429 in codes[5:]
    assert attempt(device(app, "198.51.100.2"), "wang", PASSWORD) == 302  # its failures slow only itself
    with app.app_context():
        outcomes = [a.device is not None for a in db.session.scalars(
            select(LoginAttempt).where(LoginAttempt.ip == "10.0.0.7", LoginAttempt.success.is_(False)))]
    assert outcomes and all(outcomes)


@pytest.mark.parametrize("forged", ["", "abc.def", "nonce.0123456789abcdef0123456789abcdef", "~~~" * 400])
def test_a_forged_device_cookie_counts_as_an_unknown_client(app, make_user, forged):
    make_user("sales", "wang")
    failures(app, "203.0.113.5", "wang", 8)
    attacker = device(app, "203.0.113.5")
    attacker.set_cookie(throttle.DEVICE_COOKIE, forged, domain="orderhub.test", path="/login")
    assert attempt(attacker, "wang", PASSWORD) == 429


def test_a_device_cookie_of_another_account_does_not_count(app, known_phone, make_user):
    make_user("sales", "li")
    cookie = device_cookie(known_phone).value
    attacker = device(app, "203.0.113.5")
    attacker.set_cookie(throttle.DEVICE_COOKIE, cookie, domain="orderhub.test", path="/login")
    failures(app, "203.0.113.5", "li", 8)
    assert attempt(attacker, "li", PASSWORD) == 429


def test_device_cookie_is_scoped_signed_and_names_nobody(app, make_user):
    make_user("sales", "wang")
    resp = device(app, "10.0.0.7").post("/login", data={"username": "wang", "password": PASSWORD})
    cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith(throttle.DEVICE_COOKIE))
    assert "Path=/login" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "wang" not in cookie


def test_the_address_is_slowed_across_accounts(app, make_user):
    make_user("sales", "wang")
    for n in range(26):
        failures(app, "203.0.113.5", f"user{n}", 1)
    assert attempt(device(app, "203.0.113.5"), "wang", PASSWORD) == 429
    assert attempt(device(app, "198.51.100.2"), "wang", PASSWORD) == 302


def test_login_throttle_switch_turns_it_off(app, make_user):
    app.config["LOGIN_THROTTLE"] = False
    make_user("sales", "wang")
    assert guess(app, "203.0.113.5", "wang", 6) == [401] * 6


def test_sustained_guessing_alerts_the_admins_once_an_hour(app, client, make_user, login_as):
    make_user("sales", "wang")
    with app.app_context():
        for n in range(throttle.ALERT_ACCOUNT + 5):
            throttle.record_attempt("wang", f"203.0.113.{n}", "bad_password")
        db.session.commit()
        alerts = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login_guessing")))
    assert [(a.field, a.new) for a in alerts] == [("user", "wang")]
    login_as("admin")
    step_up(client)
    page = client.get("/admin").get_data(as_text=True)
    assert "data-login-alerts" in page and "wang" in page


def test_no_alert_below_the_threshold(app, client, login_as):
    with app.app_context():
        for _ in range(5):
            throttle.record_attempt("wang", "203.0.113.5", "bad_password")
        db.session.commit()
    login_as("admin")
    assert "data-login-alerts" not in client.get("/admin").get_data(as_text=True)
