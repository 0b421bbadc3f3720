"""`flask access show/set`, and CSRF on every admin form and htmx toggle."""
import pytest

from tests.access.helpers import PASSWORD, entries
from webapp import create_app
from webapp.extensions import db


def test_access_show_prints_the_matrix(runner):
    lines = runner.invoke(args=["access", "show"]).output.splitlines()
    roles = lines[0].split()[1:]
    profit = dict(zip(roles, next(line for line in lines if line.startswith("profit")).split()[1:]))
    assert profit == {"admin": "r", "manager": "r", "finance": "r", "sales": "-", "warehouse": "-", "support": "-"}
    carrier = dict(zip(roles, next(line for line in lines if line.startswith("carrier")).split()[1:]))
    assert carrier["warehouse"] == "W" and carrier["finance"] == "r"


def test_access_set_changes_a_cell_and_is_audited(app, runner):
    result = runner.invoke(args=["access", "set", "support", "total_amount", "read"])
    assert result.exit_code == 0
    [entry] = entries(app, "permission_changed")
    assert (entry.actor, entry.via, entry.old, entry.new) == ("system", "system", "hidden", "read")
    assert runner.invoke(args=["access", "set", "nobody", "notes", "read"]).exit_code != 0


@pytest.fixture
def csrf_client(database_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SERVER_NAME": "orderhub.test",
                      "UPLOAD_DIR": str(tmp_path / "u")})
    yield app, app.test_client()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()



def test_admin_posts_without_a_csrf_token_are_refused(csrf_client):
    app, client = csrf_client
    from tests.factories import make_user  # a plain factory: this app is not the fixture one
    with app.app_context():
        make_user("admin", "boss")
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token"')[1].split('value="')[1].split('"')[0]
    assert client.post("/login", data={"username": "boss", "password": PASSWORD, "csrf_token": token}).status_code == 302
    assert client.post("/account/stepup", data={"password": PASSWORD}).status_code == 400
    stepup_page = client.get("/account/stepup").get_data(as_text=True)
    token = stepup_page.split('name="csrf_token"')[1].split('value="')[1].split('"')[0]
    assert client.post("/account/stepup", data={"password": PASSWORD, "csrf_token": token}).status_code == 302
    assert client.post("/admin/matrix/support/notes", headers={"HX-Request": "true"}).status_code == 400
    grid = client.get("/admin/matrix").get_data(as_text=True)
    header_token = grid.split('"X-CSRFToken": "')[1].split('"')[0]
    resp = client.post("/admin/matrix/support/notes", headers={"HX-Request": "true", "X-CSRFToken": header_token})
    assert resp.status_code == 200
