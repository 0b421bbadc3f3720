"""Step-up keeps the work: the user forms ask for the second verification before they are shown."""
import time

from tests.access.helpers import admin_client, step_up
from webapp.access import stepup


def test_user_form_asks_for_step_up_first_then_comes_back(client, login_as):
    admin_client(login_as, client, stepped_up=False)
    resp = client.get("/admin/users/new")
    assert resp.status_code == 401 and 'name="password"' in resp.get_data(as_text=True)
    assert "/admin/users/new" in resp.get_data(as_text=True)  # where it goes back to
    step_up(client)
    page = client.get("/admin/users/new")
    assert page.status_code == 200 and 'name="username"' in page.get_data(as_text=True)


def test_a_step_up_about_to_expire_is_renewed_before_the_form(client, login_as, monkeypatch):
    user = admin_client(login_as, client)
    assert client.get(f"/admin/users/{user.id}").status_code == 200
    later = time.time() + stepup.WINDOW_SECONDS - 60  # one minute left: not enough to fill the form in
    monkeypatch.setattr(stepup.time, "time", lambda: later)
    assert client.get(f"/admin/users/{user.id}").status_code == 401
    assert client.get("/admin/users").status_code == 200  # lists need no fresh step-up
