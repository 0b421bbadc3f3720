"""The tablet order form: prices from the catalogue, customers by phone, bad input saves nothing."""
import pytest
from sqlalchemy import func, select

from tests.factories import make_order, make_product
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.orders.models import Customer, Order, OrderLine

GOOD = {"customer_phone": "138 0013 8000", "customer_name": "王芳", "address": "上海市浦东新区张江路 88 号",
        "channel": "web", "discount": "10.00", "shipping_fee": "12", "items-0-sku": "cup-500",
        "items-0-quantity": "2", "items-1-sku": "CUP-BRUSH", "items-1-quantity": "3"}


@pytest.fixture
def products(app):
    with app.app_context():
        make_product("CUP-500", "129.00", "52.30", "保温杯 500ml")
        make_product("CUP-BRUSH", "19.90", "6.10", "杯刷")


def _counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Order, OrderLine, Customer))


def test_sales_saves_an_order_priced_from_the_catalogue(app, client, login_as, products):
    user = login_as("sales")
    data = GOOD | {"items-0-unit_price": "0.01", "items-0-unit_cost": "0", "total_amount": ""}
    resp = client.post("/orders", data={k: v for k, v in data.items() if k != "total_amount"})
    assert resp.status_code == 303
    with app.app_context():
        order = db.session.scalar(select(Order))
        assert resp.headers["Location"].endswith(f"/orders/{order.order_no}")
        assert (str(order.total_amount), str(order.cost_total), str(order.profit)) == ("307.70", "134.90", "172.80")
        assert (order.region, order.customer_phone, order.salesperson_id) == ("east", "+8613800138000", user.id)
        assert [(ln.sku, str(ln.unit_price), ln.quantity) for ln in order.lines] == [
            ("CUP-500", "129.00", 2), ("CUP-BRUSH", "19.90", 3)]
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "create"))
        assert entry.order_no == order.order_no and entry.actor == user.username


BAD = [
    ("customer_phone", "12345", "customer_phone"),
    ("items-0-quantity", "0", "items-0-quantity"),
    ("items-0-quantity", "-2", "items-0-quantity"),
    ("items-0-quantity", "1.5", "items-0-quantity"),
    ("discount", "1.005", "discount"),
    ("shipping_fee", "3.141", "shipping_fee"),
    ("items-0-sku", "NO-SUCH", "items-0-sku"),
    ("discount", "500.00", "discount"),
    ("address", "张江路 88 号", "address"),
    ("customer_name", "", "customer_name"),
]


@pytest.mark.parametrize("field, value, error_at", BAD)
def test_bad_input_shows_error_next_to_field_keeps_input_and_saves_nothing(
        app, client, login_as, products, field, value, error_at):
    login_as("sales")
    before = _counts(app)
    resp = client.post("/orders", data=GOOD | {field: value})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert f'id="e-{error_at}"' in page or (error_at.startswith("items") and 'class="error"' in page)
    assert "王芳" in page or field == "customer_name"  # nothing typed is lost
    assert 'value="CUP-BRUSH"' in page
    assert _counts(app) == before


def test_no_lines_is_refused(app, client, login_as, products):
    login_as("sales")
    data = {k: v for k, v in GOOD.items() if not k.startswith("items")}
    resp = client.post("/orders", data=data)
    assert resp.status_code == 422 and _counts(app) == (0, 0, 0)


@pytest.mark.parametrize("role", ["warehouse", "finance", "support"])
def test_roles_without_entry_rights_cannot_create(app, client, login_as, products, role):
    login_as(role)
    assert client.get("/orders/new").status_code == 403
    assert client.post("/orders", data=GOOD).status_code == 403
    assert _counts(app) == (0, 0, 0)


def test_customer_is_the_same_across_phone_formats(app, client, login_as, products):
    login_as("sales")
    for phone in ("138 0013 8000", "+86 13800138000", "+86-138-0013-8000", "8613800138000"):
        assert client.post("/orders", data=GOOD | {"customer_phone": phone}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Customer)) == 1
        assert set(db.session.scalars(select(Order.customer_id))) == {db.session.scalar(select(Customer.id))}


def test_phone_lookup_fills_a_known_customer(app, client, login_as):
    user = login_as("sales")  # the customer of one of the user's own orders (scope: tests/orders/test_customer_scope.py)
    with app.app_context():
        make_order(user, phone="+8613800138000", customer_name="老客户张三", address="江苏省南京市鼓楼区 1 号")
    resp = client.get("/orders/customer?customer_phone=%2B86%20138%200013%208000", headers={"HX-Request": "true"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'data-testid="known-customer"' in page
    assert 'value="老客户张三"' in page and "江苏省南京市鼓楼区" in page


def test_sku_search_shows_price_but_never_cost_to_sales(app, client, login_as, products):
    login_as("sales")
    page = client.get("/orders/skus?q=cup", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'data-add-sku="CUP-500"' in page and 'data-add-sku="CUP-BRUSH"' in page
    assert "data-price-fen=\"12900\"" in page
    assert "data-cost-fen" not in page and "52.30" not in page


def test_sku_search_by_name_and_cost_for_managers(app, client, login_as, products):
    login_as("manager")
    page = client.get("/orders/skus?q=杯刷").get_data(as_text=True)
    assert 'data-add-sku="CUP-BRUSH"' in page and 'data-cost-fen="610"' in page
    assert "CUP-500" not in page


def test_new_order_form_shows_profit_only_to_roles_that_read_it(app, client, login_as):
    login_as("sales")
    page = client.get("/orders/new").get_data(as_text=True)
    assert 'data-out="due"' in page and 'data-out="profit"' not in page and 'data-out="cost"' not in page
    assert 'name="customer_phone"' in page and 'name="csrf_token"' in page
