"""Second verification: needed for dangerous changes, by password or TOTP, expiring after 5 minutes, audited."""
import time

import pyotp
import pytest

from tests.access.helpers import HTMX, PASSWORD, entries, step_up
from webapp.access import stepup
from webapp.auth.models import User
from webapp.extensions import db


def test_change_without_step_up_shows_the_reauth_form_and_changes_nothing(app, client, login_as):
    login_as("admin")
    resp = client.post("/admin/matrix/support/total_amount", headers={"Referer": "http://orderhub.test/admin/matrix"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 401 and 'action="/account/stepup"' in page
    assert 'name="next" value="/admin/matrix"' in page
    assert entries(app, "permission_changed") == []


def test_htmx_request_is_redirected_to_the_reauth_page(client, login_as):
    login_as("admin")
    resp = client.post("/admin/matrix/support/total_amount", headers=HTMX)
    assert resp.status_code == 401
    assert resp.headers["HX-Redirect"] == "/account/stepup?next=/admin/matrix"


def test_json_client_gets_stepup_required(client, login_as):
    login_as("admin")
    resp = client.post("/admin/matrix/support/total_amount", headers={"Accept": "application/json"})
    assert resp.status_code == 401 and resp.get_json()["error"] == "stepup_required"


def test_password_step_up_allows_changes_and_is_audited(app, client, login_as):
    admin = login_as("admin")
    resp = step_up(client)
    assert resp.headers["Location"] == "/admin"
    assert client.post("/admin/matrix/support/total_amount").status_code == 302
    [entry] = entries(app, "stepup")
    assert entry.actor == admin.username and entry.detail == "method=password"


def test_wrong_password_is_refused_audited_and_throttled(app, client, login_as):
    login_as("admin")
    for _ in range(5):
        assert client.post("/account/stepup", data={"password": "nope-nope-1"}).status_code == 401
    assert client.post("/account/stepup", data={"password": PASSWORD}).status_code == 429
    assert len(entries(app, "stepup_failed")) == 5
    assert client.post("/admin/matrix/support/total_amount").status_code == 401


def test_step_up_expires_after_five_minutes(client, login_as, monkeypatch):
    login_as("admin")
    step_up(client)
    real = time.time
    monkeypatch.setattr(stepup.time, "time", lambda: real() + stepup.WINDOW_SECONDS - 5)
    assert client.post("/admin/matrix/support/total_amount").status_code == 302
    monkeypatch.setattr(stepup.time, "time", lambda: real() + stepup.WINDOW_SECONDS + 1)
    assert client.post("/admin/matrix/support/total_amount").status_code == 401


def test_step_up_does_not_survive_a_new_login(app, client, login_as):
    login_as("admin")
    step_up(client)
    client.post("/logout")
    login_as("admin")
    assert client.post("/admin/matrix/support/total_amount").status_code == 401


def test_enrolment_shows_a_qr_and_then_step_up_asks_for_the_code(app, client, login_as):
    user = login_as("admin")
    assert client.get("/account/totp").status_code == 401  # enrolling needs a step-up first
    step_up(client)
    page = client.get("/account/totp").get_data(as_text=True)
    assert 'src="data:image/png;base64,' in page
    with client.session_transaction() as sess:
        secret = sess["totp_pending"]
    assert client.post("/account/totp", data={"code": "000000" if pyotp.TOTP(secret).now() != "000000"
                                              else "111111"}).status_code == 422
    code = pyotp.TOTP(secret).now()
    assert client.post("/account/totp", data={"code": code}).status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).totp_secret == secret
    assert [e.action for e in entries(app) if e.action.startswith("totp")] == ["totp_enrolled"]
    # now the password alone no longer passes; a fresh code does, and the same code is not accepted twice
    with client.session_transaction() as sess:
        sess.pop("stepup_at")
    assert client.post("/account/stepup", data={"password": PASSWORD}).status_code == 401
    assert client.post("/account/stepup", data={"code": code}).status_code == 401  # replay refused
    later = pyotp.TOTP(secret).at(time.time() + 30)
    assert client.post("/account/stepup", data={"code": later}).status_code == 302
    assert entries(app, "stepup")[-1].detail.startswith("method=totp")


def test_step_up_page_only_returns_to_local_paths(client, login_as):
    login_as("sales")
    resp = client.post("/account/stepup", data={"password": PASSWORD, "next": "https://evil.example/"})
    assert resp.headers["Location"] == "/"


@pytest.mark.parametrize("role", ["sales", "warehouse", "manager"])
def test_any_user_may_step_up_for_their_own_dangerous_actions(client, login_as, role):
    login_as(role)
    assert client.get("/account/stepup").status_code == 200
    step_up(client)
