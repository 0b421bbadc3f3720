"""Shipping charged to the customer or borne by us (issue 16): the money formula, the default, edits, the API.

The fee is always our cost (cost_total); "customer" also adds it to the amount due, "us" does not.
"""
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.api.conftest import Api
from tests.factories import make_order, make_product
from webapp.api import tokens
from webapp.audit.models import AuditEntry
from webapp.auth.models import User
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.orders.totals import compute_totals

JS = Path(__file__).resolve().parents[2] / "static" / "js" / "money.js"
LINES = [{"unit_price": Decimal("129.00"), "unit_cost": Decimal("52.30"), "quantity": 2},
         {"unit_price": Decimal("19.90"), "unit_cost": Decimal("6.10"), "quantity": 3}]  # goods 317.70, cost 122.90
# payer, discount, fee → amount due, cost_total, profit
TABLE = [
    ("customer", "0.00", "0.00", "317.70", "122.90", "194.80"),
    ("customer", "0.00", "12.00", "329.70", "134.90", "194.80"),
    ("customer", "10.00", "0.00", "307.70", "122.90", "184.80"),
    ("customer", "10.00", "12.00", "319.70", "134.90", "184.80"),
    ("us", "0.00", "0.00", "317.70", "122.90", "194.80"),
    ("us", "0.00", "12.00", "317.70", "134.90", "182.80"),
    ("us", "10.00", "0.00", "307.70", "122.90", "184.80"),
    ("us", "10.00", "12.00", "307.70", "134.90", "172.80"),
]
FORM = {"customer_phone": "138 0013 8000", "customer_name": "王芳", "address": "上海市浦东新区张江路 88 号",
        "channel": "web", "items-0-sku": "CUP-500", "items-0-quantity": "2", "items-1-sku": "CUP-BRUSH",
        "items-1-quantity": "3"}


@pytest.fixture
def products(app):
    with app.app_context():
        make_product("CUP-500", "129.00", "52.30", "保温杯 500ml")
        make_product("CUP-BRUSH", "19.90", "6.10", "杯刷")


def _figures(order) -> tuple:
    return str(order.total_amount), str(order.cost_total), str(order.profit)


def _order(app, order_no=None) -> Order:
    with app.app_context():
        stmt = select(Order).where(Order.order_no == order_no) if order_no else select(Order)
        order = db.session.scalar(stmt)
        db.session.expunge(order)
        return order


@pytest.mark.parametrize("payer,discount,fee,due,cost,profit", TABLE)
def test_money_formula_follows_who_pays_shipping(payer, discount, fee, due, cost, profit):
    totals = compute_totals(LINES, Decimal(discount), Decimal(fee), payer)
    assert (str(totals.total_amount), str(totals.cost_total), str(totals.profit)) == (due, cost, profit)
    assert totals.goods == Decimal("317.70") and totals.profit == totals.total_amount - totals.cost_total


@pytest.mark.parametrize("payer,discount,fee,due,cost,profit", TABLE)
def test_the_saved_order_has_the_formula_s_figures(app, client, login_as, products, payer, discount, fee, due,
                                                    cost, profit):
    login_as("sales")
    form = FORM | {"discount": discount, "shipping_fee": fee, "shipping_paid_by": payer}
    assert client.post("/orders", data=form).status_code == 303
    order = _order(app)
    assert order.shipping_paid_by == payer and _figures(order) == (due, cost, profit)


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_tablet_preview_uses_the_same_formula():
    rows = [[payer, int(Decimal(d) * 100), int(Decimal(f) * 100)] for payer, d, f, *_ in TABLE]
    script = (f"const m = require({json.dumps(str(JS))});"
              "const lines = [{priceFen: 12900, costFen: 5230, quantity: 2}, {priceFen: 1990, costFen: 610, quantity: 3}];"
              f"console.log(JSON.stringify({json.dumps(rows)}.map(([p, d, f]) => m.computeTotals(lines, d, f, p))));")
    out = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)
    for (_p, _d, _f, due, cost, profit), js in zip(TABLE, out):
        assert [js["due"], js["cost"], js["profit"]] == [int(Decimal(v) * 100) for v in (due, cost, profit)]


def test_a_fee_typed_without_a_choice_is_borne_by_us_as_the_profit_formula_says(app, client, login_as, products):
    login_as("sales")
    assert client.post("/orders", data=FORM | {"shipping_fee": "12"}).status_code == 303
    order = _order(app)
    assert order.shipping_paid_by == "us" and _figures(order) == ("317.70", "134.90", "182.80")


def test_an_unknown_payer_is_refused_next_to_the_field_and_nothing_is_saved(app, client, login_as, products):
    login_as("sales")
    resp = client.post("/orders", data=FORM | {"shipping_fee": "12", "shipping_paid_by": "friend"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请选择运费由谁付" in page
    with app.app_context():
        assert db.session.scalar(select(Order)) is None


def test_a_charged_fee_does_not_make_room_for_a_discount_above_the_goods(app, client, login_as, products):
    login_as("sales")
    form = FORM | {"discount": "320.00", "shipping_fee": "12", "shipping_paid_by": "customer"}
    resp = client.post("/orders", data=form)
    assert resp.status_code == 422 and "优惠不能超过商品总额（¥317.70）" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Order)) is None


def test_switching_the_payer_recomputes_and_is_audited(app, client, login_as, products):
    login_as("manager")
    form = FORM | {"discount": "10", "shipping_fee": "12", "shipping_paid_by": "customer"}
    assert client.post("/orders", data=form).status_code == 303
    order_no = _order(app).order_no
    edit = client.get(f"/orders/{order_no}/edit").get_data(as_text=True)
    assert edit.split('value="customer"')[1].split(">")[0].strip() == "checked"  # the edit form shows the choice
    resp = client.post(f"/orders/{order_no}/edit", data={"shipping_paid_by": "us", "version": "1"})
    assert resp.status_code == 303
    order = _order(app, order_no)
    assert (order.shipping_paid_by, order.version) == ("us", 2)
    assert _figures(order) == ("307.70", "134.90", "172.80")
    with app.app_context():
        fields = {e.field: (e.old, e.new) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.order_no == order_no, AuditEntry.action == "update"))}
    assert fields["shipping_paid_by"] == ("customer", "us") and fields["total_amount"] == ("319.70", "307.70")
    history = client.get(f"/audit/orders/{order_no}/history").get_data(as_text=True)
    assert "包邮（我方承担）" in history and "客户付运费" in history  # values by name, not codes


def test_the_payer_is_locked_once_the_order_is_confirmed(app, client, login_as, products):
    login_as("manager")
    with app.app_context():
        order_no = make_order(status="confirmed", shipping_fee=Decimal("12.00")).order_no
    resp = client.post(f"/orders/{order_no}/edit", data={"shipping_paid_by": "customer"})
    assert resp.status_code == 403 and _order(app, order_no).shipping_paid_by == "us"


def test_order_page_names_who_pays_and_hides_a_zero_discount(app, client, login_as, products):
    login_as("sales")
    client.post("/orders", data=FORM | {"discount": "0", "shipping_fee": "12", "shipping_paid_by": "us"})
    page = client.get(f"/orders/{_order(app).order_no}").get_data(as_text=True)
    assert "运费（我方承担）" in page and "−¥0.00" not in page and "优惠" not in page.split('class="totals"')[1]


def test_order_page_shows_a_charged_fee_as_added_and_a_real_discount(app, client, login_as, products):
    login_as("sales")
    client.post("/orders", data=FORM | {"discount": "10", "shipping_fee": "12", "shipping_paid_by": "customer"})
    page = client.get(f"/orders/{_order(app).order_no}").get_data(as_text=True)
    assert "运费（客户付）" in page and "+¥12.00" in page and "−¥10.00" in page


def _api(app, client, role, make_user) -> Api:
    user = make_user(role)
    with app.app_context():
        _token, raw = tokens.create_token(db.session.get(User, user.id), actor=None, via="system")
        db.session.commit()
    return Api(client, raw)


def test_api_round_trip(app, client, make_user, products):
    api = _api(app, client, "manager", make_user)
    body = {"customer_name": "张三华", "customer_phone": "138 0013 8000", "address": "浙江省杭州市西湖区文三路 90 号",
            "items": [{"sku": "CUP-500", "quantity": 2}], "shipping_fee": "12.00", "shipping_paid_by": "us"}
    created = api.post("/api/v1/orders", json=body)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert (data["shipping_paid_by"], data["total_amount"], data["cost_total"]) == ("us", "258.00", "116.60")
    no = data["order_no"]
    patched = api.patch(f"/api/v1/orders/{no}", json={"shipping_paid_by": "customer", "version": data["version"]})
    assert patched.status_code == 200, patched.get_json()
    got = api.get(f"/api/v1/orders/{no}").get_json()
    assert (got["shipping_paid_by"], got["total_amount"], got["profit"]) == ("customer", "270.00", "153.40")
    bad = api.patch(f"/api/v1/orders/{no}", json={"shipping_paid_by": "nobody"})
    assert bad.status_code in (400, 422) and "shipping_paid_by" in json.dumps(bad.get_json())
    assert api.get(f"/api/v1/orders/{no}").get_json()["version"] == got["version"]


def test_api_create_without_a_choice_bears_the_fee_ourselves(app, client, make_user, products):
    api = _api(app, client, "sales", make_user)
    body = {"customer_name": "张三华", "customer_phone": "138 0013 8000", "address": "浙江省杭州市西湖区文三路 90 号",
            "items": [{"sku": "CUP-500", "quantity": 1}], "shipping_fee": "8.00"}
    data = api.post("/api/v1/orders", json=body).get_json()
    assert (data["shipping_paid_by"], data["total_amount"]) == ("us", "129.00")


def test_openapi_documents_the_field_and_its_values(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    text = json.dumps(spec)
    assert '"shipping_paid_by"' in text
    schemas = spec["components"]["schemas"]
    found = [s["properties"]["shipping_paid_by"] for s in schemas.values()
             if "shipping_paid_by" in s.get("properties", {})]
    assert found and all(p.get("enum") == ["customer", "us"] for p in found)


def test_a_paper_form_entry_carries_who_pays_shipping(app, client, login_as, products):
    from webapp.offline import paper
    from webapp.offline.models import ReservedNumber
    login_as("sales")
    client.post("/offline/paper", data={"count": "1"})
    with app.test_request_context():
        number = db.session.scalar(select(ReservedNumber.order_no))
        url = f"/offline/p/{number}?s={paper.sign(number)}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="shipping_paid_by"' in page
    entry = {k: v for k, v in FORM.items() if k != "channel"} | {"shipping_fee": "12", "shipping_paid_by": "us"}
    assert client.post(url, data=entry).status_code == 302
    order = _order(app, number)
    assert order.shipping_paid_by == "us" and _figures(order) == ("317.70", "134.90", "182.80")


def test_the_board_export_names_who_pays_shipping(app, client, login_as, products):
    login_as("manager")
    with app.app_context():
        make_order(shipping_fee=Decimal("12.00"), shipping_paid_by="us")
    text = client.get("/orders/export.csv").get_data(as_text=True)
    assert "运费由谁付" in text.splitlines()[0] and "包邮（我方承担）" in text


def test_the_export_leaves_the_column_out_for_a_role_that_may_not_read_it(app, client, login_as, products):
    login_as("support")
    with app.app_context():
        make_order(shipping_fee=Decimal("12.00"))
    resp = client.get("/orders/export.csv")
    assert resp.status_code in (200, 403)
    assert "运费由谁付" not in resp.get_data(as_text=True) and "客户付运费" not in resp.get_data(as_text=True)


@pytest.mark.parametrize("payer", ["customer", "us"])
def test_the_usual_goods_value_of_a_customer_ignores_who_paid_shipping(app, payer):
    from webapp.approvals.riskchecks import unusual_amount
    line = {"sku": "TV-1", "name": "电视", "unit_price": Decimal("1000.00"), "quantity": 1, "unit_cost": Decimal("1")}
    with app.app_context():
        for _ in range(3):
            make_order(lines=[line], shipping_fee=Decimal("50.00"), shipping_paid_by=payer)
        big = make_order(lines=[line | {"quantity": 6}])
        assert unusual_amount(big) == "¥6,000.00 / ¥1,000.00"
