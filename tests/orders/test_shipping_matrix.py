"""Who pays shipping is a matrix field like the others: roles × write paths (form, htmx, API POST, PATCH) and reads.

The expected levels are the hand-written table of tests/access/matrix_table.py (row shipping_paid_by).
"""
import pytest
from sqlalchemy import func, select

from tests.access.matrix_table import EXPECTED
from tests.api.conftest import Api
from tests.factories import make_order, make_product
from webapp.access.models import RolePermission
from webapp.api import tokens
from webapp.auth.models import User
from webapp.extensions import db
from webapp.orders.models import Order

ROLES = ("admin", "manager", "sales", "warehouse", "finance", "support")
NEW = {"customer_name": "张三华", "customer_phone": "138 0013 8000", "address": "浙江省杭州市西湖区文三路 90 号"}


@pytest.fixture
def cup(app):
    with app.app_context():
        make_product("CUP-500", "129.00", "52.30", "保温杯 500ml")


def _api(app, client, user) -> Api:
    with app.app_context():
        _token, raw = tokens.create_token(db.session.get(User, user.id), actor=None, via="system")
        db.session.commit()
    return Api(client, raw)


def _order_for(app, user) -> str:
    """An order with a ¥12 fee charged to the customer, inside the user's row scope."""
    with app.app_context():
        sales = db.session.get(User, user.id) if user.role_code == "sales" else None
        status = "confirmed" if user.role_code == "warehouse" else "pending_payment"
        return make_order(salesperson=sales, status=status, shipping_fee=12).order_no


def _payer(app, order_no):
    with app.app_context():
        return db.session.scalar(select(Order.shipping_paid_by).where(Order.order_no == order_no))


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Order))


@pytest.mark.parametrize("path", ("form", "htmx", "patch"))
@pytest.mark.parametrize("role", ROLES)
def test_changing_who_pays_follows_the_matrix(app, client, login_as, role, path, cup):
    user = login_as(role)
    order_no = _order_for(app, user)
    if path == "patch":
        status = _api(app, client, user).patch(f"/api/v1/orders/{order_no}", json={"shipping_paid_by": "customer"}).status_code
    else:
        headers = {"HX-Request": "true"} if path == "htmx" else {}
        status = client.post(f"/orders/{order_no}/edit", data={"shipping_paid_by": "customer"}, headers=headers).status_code
    if EXPECTED[role]["shipping_paid_by"] == "write":
        assert status in (200, 303) and _payer(app, order_no) == "customer"
    else:
        assert status == 403 and _payer(app, order_no) == "us"


@pytest.mark.parametrize("path", ("form", "api"))
@pytest.mark.parametrize("role", ROLES)
def test_creating_with_a_payer_follows_the_matrix(app, client, login_as, role, path, cup):
    user = login_as(role)
    if path == "api":
        resp = _api(app, client, user).post("/api/v1/orders", json=NEW | {
            "items": [{"sku": "CUP-500", "quantity": 1}], "shipping_fee": "12.00", "shipping_paid_by": "customer"})
        ok, refused = resp.status_code == 201, resp.status_code == 403
        named = refused and "shipping_paid_by" in resp.get_json()["fields"]
    else:
        resp = client.post("/orders", data=NEW | {"items-0-sku": "CUP-500", "items-0-quantity": "1",
                                                  "shipping_fee": "12", "shipping_paid_by": "customer"})
        ok, refused = resp.status_code == 303, resp.status_code == 403
        named = refused
    if EXPECTED[role]["shipping_paid_by"] == "write" and EXPECTED[role]["items"] == "write":
        assert ok and _count(app) == 1
        with app.app_context():
            assert db.session.scalar(select(Order.shipping_paid_by)) == "customer"
    else:
        assert named and _count(app) == 0


@pytest.mark.parametrize("role", ROLES)
def test_reading_who_pays_follows_the_matrix(app, client, login_as, role, cup):
    user = login_as(role)
    order_no = _order_for(app, user)
    data = _api(app, client, user).get(f"/api/v1/orders/{order_no}").get_json()
    assert ("shipping_paid_by" in data) == (EXPECTED[role]["shipping_paid_by"] != "hidden")
    if "shipping_paid_by" in data:
        assert data["shipping_paid_by"] == "us"


def test_an_admin_s_matrix_change_is_what_the_tablet_form_meets(app, client, login_as, cup):
    with app.app_context():
        db.session.add(RolePermission(role_code="sales", field="shipping_paid_by", level="read"))
        db.session.commit()
    login_as("sales")
    form = client.get("/orders/new").get_data(as_text=True)
    assert 'name="shipping_paid_by"' not in form  # read-only: no choice on the form, the default applies
    base = NEW | {"items-0-sku": "CUP-500", "items-0-quantity": "1", "shipping_fee": "12"}
    assert client.post("/orders", data=base | {"shipping_paid_by": "customer"}).status_code == 403
    assert _count(app) == 0
    assert client.post("/orders", data=base).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Order.shipping_paid_by)) == "us"


def test_the_tablet_form_offers_the_choice_to_those_who_may_write_it(client, login_as, cup):
    login_as("sales")
    form = client.get("/orders/new").get_data(as_text=True)
    assert form.count('name="shipping_paid_by"') == 2
    assert form.split('value="us"')[1].split(">")[0].strip() == "checked"  # the default is preselected
    assert "checked" not in form.split('value="customer"')[1].split(">")[0]
