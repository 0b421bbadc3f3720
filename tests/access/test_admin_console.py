"""Admin console: admins only; users created, changed, disabled (sessions end), passwords reset; all audited."""
import pytest

from tests.access.helpers import PASSWORD, admin_client, entries
from webapp.auth.models import User
from webapp.extensions import db

ADMIN_GETS = ["/admin", "/admin/users", "/admin/users/new", "/admin/matrix", "/admin/audit"]
ADMIN_POSTS = ["/admin/users/new", "/admin/matrix/sales/notes", "/admin/roles/sales/scope", "/admin/roles"]


@pytest.mark.parametrize("role", ["manager", "sales", "warehouse", "finance", "support"])
def test_every_admin_route_refuses_other_roles(client, login_as, role):
    login_as(role)
    for path in ADMIN_GETS + ["/admin/users/1"]:
        assert client.get(path).status_code == 403, path
    for path in ADMIN_POSTS + ["/admin/users/1", "/admin/users/1/active", "/admin/users/1/password"]:
        assert client.post(path).status_code == 403, path


def test_logged_out_visitor_is_sent_to_login(client):
    for path in ADMIN_GETS:
        resp = client.get(path)
        assert resp.status_code == 302 and "/login" in resp.headers["Location"], path


def test_console_pages_render_for_admin(client, login_as):
    admin_client(login_as, client)
    for path in ADMIN_GETS:
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert 'name="viewport"' in resp.get_data(as_text=True)


def test_admin_creates_a_user_who_can_log_in(app, client, login_as):
    admin_client(login_as, client)
    resp = client.post("/admin/users/new", data={"username": "liqiang", "display_name": "李强", "role": "warehouse",
                                                  "regions": ["east", "north"], "password": "pack-it-well-1"})
    assert resp.status_code == 302
    with app.app_context():
        user = db.session.query(User).filter_by(username="liqiang").one()
        assert user.role_code == "warehouse" and user.region_codes == ["east", "north"]
    [entry] = entries(app, "user_created")
    assert entry.new == "liqiang" and "pack-it-well-1" not in (entry.detail + str(entry.old))
    other = app.test_client()
    assert other.post("/login", data={"username": "liqiang", "password": "pack-it-well-1"}).status_code == 302


def test_duplicate_username_is_refused_in_the_form(client, login_as, make_user):
    make_user("sales", "wang")
    admin_client(login_as, client)
    resp = client.post("/admin/users/new", data={"username": "wang", "role": "sales", "password": "whatever-12"})
    assert resp.status_code == 422 and "already exists" in resp.get_data(as_text=True)


def test_role_and_region_change_is_audited_old_to_new(app, client, login_as, make_user):
    user = make_user("warehouse", "sunli", regions=["east"])
    admin_client(login_as, client)
    resp = client.post(f"/admin/users/{user.id}", data={"role": "support", "regions": ["north"],
                                                         "display_name": "孙丽"})
    assert resp.status_code == 302
    changes = {e.field: (e.old, e.new) for e in entries(app, "user_changed")}
    assert changes["user.role"] == ("warehouse", "support")
    assert changes["user.regions"] == ("east", "north")


def test_disabling_a_user_ends_their_session_at_once(app, client, login_as, make_user):
    victim = make_user("sales", "zhaolei")
    theirs = app.test_client()
    assert theirs.post("/login", data={"username": "zhaolei", "password": PASSWORD}).status_code == 302
    assert theirs.get("/").status_code == 200
    admin_client(login_as, client)
    assert client.post(f"/admin/users/{victim.id}/active", data={"active": "0"}).status_code == 302
    resp = theirs.get("/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert theirs.post("/login", data={"username": "zhaolei", "password": PASSWORD}).status_code == 401
    [entry] = entries(app, "user_disabled")
    assert entry.detail == "user=zhaolei"


def test_admin_cannot_disable_themselves(app, client, login_as):
    admin = admin_client(login_as, client)
    client.post(f"/admin/users/{admin.id}/active", data={"active": "0"})
    assert client.get("/admin").status_code == 200
    assert entries(app, "user_disabled") == []


def test_password_reset_ends_sessions_and_sets_the_new_password(app, client, login_as, make_user):
    victim = make_user("finance", "wujing")
    theirs = app.test_client()
    theirs.post("/login", data={"username": "wujing", "password": PASSWORD})
    admin_client(login_as, client)
    resp = client.post(f"/admin/users/{victim.id}/password", data={"password": "brand-new-pass-1"})
    assert resp.status_code == 302
    assert theirs.get("/").status_code == 302
    assert theirs.post("/login", data={"username": "wujing", "password": "brand-new-pass-1"}).status_code == 302
    [entry] = entries(app, "password_reset")
    assert "brand-new-pass-1" not in f"{entry.old}{entry.new}{entry.detail}"


def test_user_changes_need_step_up(app, client, login_as, make_user):
    victim = make_user("sales")
    admin_client(login_as, client, stepped_up=False)
    assert client.post(f"/admin/users/{victim.id}/active", data={"active": "0"}).status_code == 401
    with app.app_context():
        assert db.session.get(User, victim.id).is_active_user
