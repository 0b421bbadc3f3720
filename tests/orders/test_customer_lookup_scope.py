"""The order form's customer look-up obeys the board's row scope and a per-user limit (phones cannot be probed)."""
import pytest

from tests.factories import make_order
from webapp.access.models import RoleScope
from webapp.extensions import db

PHONE = "+8613800138000"
ENTERS = {"admin": True, "manager": True, "sales": True, "warehouse": False, "finance": False, "support": False}
# scope → whether a user of that scope (region east) finds the customer of another salesperson's confirmed east order
FINDS = {"own": False, "region": True, "all": True}


def _scope(app, role: str, scope: str) -> None:
    with app.app_context():
        row = db.session.get(RoleScope, role)
        if row is None:
            db.session.add(RoleScope(role_code=role, scope=scope))
        else:
            row.scope = scope
        db.session.commit()


def _lookup(client, phone=PHONE):
    return client.get("/orders/customer", query_string={"customer_phone": phone}, headers={"HX-Request": "true"})


@pytest.mark.parametrize("scope", sorted(FINDS))
@pytest.mark.parametrize("role", sorted(ENTERS))
def test_customer_lookup_follows_the_row_scope(app, client, login_as, make_user, role, scope):
    other = make_user("sales")
    with app.app_context():
        make_order(other, status="confirmed", phone=PHONE, customer_name="别人的客户", address="上海市徐汇区 9 号")
    _scope(app, role, scope)
    login_as(role, regions=["east"])
    resp = _lookup(client)
    if not ENTERS[role]:
        assert resp.status_code == 403
        return
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert ("别人的客户" in page and "上海市徐汇区" in page) is FINDS[scope], (role, scope)
    assert ('data-testid="known-customer"' in page) is FINDS[scope]


def test_own_scope_finds_the_customer_of_an_own_order(app, client, login_as):
    user = login_as("sales")
    with app.app_context():
        make_order(user, phone=PHONE, customer_name="自己的客户")
    assert "自己的客户" in _lookup(client).get_data(as_text=True)


def test_customer_lookup_is_limited_per_user(app, client, login_as):
    app.config["CUSTOMER_LOOKUP_LIMIT"] = 30
    user = login_as("sales")
    with app.app_context():
        make_order(user, phone=PHONE, customer_name="自己的客户")
    codes = [_lookup(client, f"+86138001380{i:02d}").status_code for i in range(30)]
    assert codes == [200] * 30
    limited = _lookup(client)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    page = limited.get_data(as_text=True)
    assert 'data-testid="lookup-limited"' in page and "自己的客户" not in page
    other = app.test_client()  # another user has their own allowance
    login_as("sales", c=other)
    assert _lookup(other).status_code == 200
