"""The matrix grid: htmx toggles hidden → read → write, scopes, copied roles; each change audited, live next request."""
import re

from tests.access.helpers import HTMX, admin_client, entries
from tests.factories import make_order
from webapp.access.policy import policy_for
from webapp.auth.models import User
from webapp.extensions import db


def test_grid_shows_every_role_and_field_with_its_level(client, login_as):
    admin_client(login_as, client)
    page = client.get("/admin/matrix").get_data(as_text=True)
    assert 'id="cell-sales-profit"' in page and 'id="cell-warehouse-carrier"' in page
    cell = page.split('id="cell-sales-profit"')[0].rsplit("<td", 1)[1]
    assert "level-hidden" in cell


def test_htmx_toggle_cycles_and_returns_the_cell(app, client, login_as):
    admin_client(login_as, client)
    levels = []
    for _ in range(3):
        resp = client.post("/admin/matrix/support/shipping_fee", headers=HTMX)
        assert resp.status_code == 200 and "HX-Request" in resp.headers["Vary"]
        html = resp.get_data(as_text=True)
        assert html.lstrip().startswith("<td") and 'id="cell-support-shipping_fee"' in html
        levels.append(html.split('data-level="')[1].split('"')[0])
    assert levels == ["read", "write", "hidden"]
    changes = [(e.field, e.old, e.new) for e in entries(app, "permission_changed")]
    assert changes == [("support.shipping_fee", "hidden", "read"), ("support.shipping_fee", "read", "write"),
                       ("support.shipping_fee", "write", "hidden")]


def test_a_cell_offers_every_level_and_goes_straight_to_the_tapped_one(app, client, login_as):
    admin_client(login_as, client)
    page = client.get("/admin/matrix").get_data(as_text=True)
    cell = page.split('id="cell-support-shipping_fee"')[1].split("</td>")[0]
    assert [v.split('"')[0] for v in cell.split('name="level" value="')[1:]] == ["hidden", "read", "write"]
    for wanted in ("read", "hidden", "write", "hidden"):
        html = client.post("/admin/matrix/support/shipping_fee", data={"level": wanted}, headers=HTMX).get_data(as_text=True)
        assert f'data-level="{wanted}"' in html
        assert re.findall(r'value="(\w+)"[^>]*aria-pressed="true"', html) == [wanted]
    changes = [(e.old, e.new) for e in entries(app, "permission_changed")]
    assert changes == [("hidden", "read"), ("read", "hidden"), ("hidden", "write"), ("write", "hidden")]


def test_computed_fields_and_actions_toggle_within_their_levels(client, login_as):
    admin_client(login_as, client)
    html = client.post("/admin/matrix/sales/profit", headers=HTMX).get_data(as_text=True)
    assert 'data-level="read"' in html
    html = client.post("/admin/matrix/sales/profit", headers=HTMX).get_data(as_text=True)
    assert 'data-level="hidden"' in html
    html = client.post("/admin/matrix/manager/delete", headers=HTMX).get_data(as_text=True)
    assert 'data-level="write"' in html
    assert client.post("/admin/matrix/sales/profit", data={"level": "write"}).status_code == 422


def test_unknown_role_or_field_is_404(client, login_as):
    admin_client(login_as, client)
    assert client.post("/admin/matrix/nobody/notes").status_code == 404
    assert client.post("/admin/matrix/sales/password_hash").status_code == 404


def test_a_matrix_change_takes_effect_on_the_next_request(app, client, login_as, make_user):
    worker = make_user("support")
    admin_client(login_as, client)
    client.post("/admin/matrix/support/total_amount", headers=HTMX)
    with app.app_context():
        assert policy_for(db.session.get(User, worker.id)).can_read("total_amount")


def test_scope_change_is_audited(app, client, login_as, make_user):
    sales = make_user("sales")
    admin_client(login_as, client)
    assert client.post("/admin/roles/sales/scope", data={"sales-scope": "all"}).status_code == 302
    [entry] = entries(app, "scope_changed")
    assert (entry.field, entry.old, entry.new) == ("sales.scope", "own", "all")
    with app.app_context():
        other = make_order()
        assert policy_for(db.session.get(User, sales.id)).can_see(other)


def test_copy_a_role_and_give_it_to_a_user(app, client, login_as, make_user):
    admin_client(login_as, client)
    resp = client.post("/admin/roles", data={"source": "warehouse", "code": "warehouse_lead", "name_zh": "仓库主管",
                                             "name_en": "Warehouse lead"})
    assert resp.status_code == 302
    client.post("/admin/matrix/warehouse_lead/total_amount", data={"level": "read"})
    user = make_user("warehouse_lead", regions=["east"])
    with app.app_context():
        policy = policy_for(db.session.get(User, user.id))
        assert policy.scope == "region" and policy.can_write("carrier") and policy.can_read("total_amount")
        assert not policy.can_read("profit")
    [entry] = entries(app, "role_created")
    assert entry.new == "warehouse_lead" and entry.detail == "copy_of=warehouse"
    assert "仓库主管" in client.get("/admin/matrix").get_data(as_text=True)


def test_bad_role_code_is_refused(client, login_as):
    admin_client(login_as, client)
    resp = client.post("/admin/roles", data={"source": "sales", "code": "Bad Code", "name_zh": "x"})
    assert resp.status_code == 422
    assert client.post("/admin/roles", data={"source": "sales", "code": "sales", "name_zh": "x"}).status_code == 422
