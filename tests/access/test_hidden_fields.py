"""A field hidden from a role is in none of the pages, fragments or exports that role receives."""
from decimal import Decimal

import pytest

from tests.factories import make_order
from webapp.access.defaults import DEFAULT_MATRIX
from webapp.audit import services as audit
from webapp.auth.models import User
from webapp.extensions import db

LINE = {"sku": "SECRET-SKU", "name": "保温杯 500ml", "unit_price": Decimal("777.77"), "quantity": 1,
        "unit_cost": Decimal("333.33")}
# field → strings that would give it away (figures chosen to appear nowhere else)
SENTINELS = {
    "unit_price": ["777.77"], "unit_cost": ["333.33"], "discount": ["11.11"], "shipping_fee": ["22.22"],
    "total_amount": ["766.66"], "cost_total": ["355.55"], "profit": ["411.11"],
    "external_id": ["EXT-SECRET-7"], "salesperson": ["销售甲乙丙"],
}
ROLES = ("sales", "warehouse", "finance", "support", "manager", "admin")


def _order(app, make_user, viewer):
    seller = make_user("sales", "sellerxyz") if viewer.role_code != "sales" else viewer
    with app.app_context():
        seller = db.session.get(User, seller.id)
        seller.display_name = "销售甲乙丙"
        order = make_order(salesperson=seller, status="confirmed", lines=[LINE], discount=Decimal("11.11"),
                           shipping_fee=Decimal("22.22"), shipping_paid_by="us", external_id="EXT-SECRET-7",
                           channel="shop")  # the fee borne by us: the amount due stays 777.77 − 11.11
        # the history carries old → new amounts as well
        audit.record("update", actor=None, via="system", order_no=order.order_no, field="discount",
                     old="0.00", new="11.11")
        db.session.commit()
        return order.order_no


def _pages(client, no):
    paths = ["/", "/orders", f"/orders?q={no}", f"/orders/{no}", f"/orders/{no}/edit",
             f"/audit/orders/{no}/history"]
    out = {}
    for path in paths:
        for headers in ({}, {"HX-Request": "true"}):
            resp = client.get(path, headers=headers)
            if resp.status_code == 200:
                out[f"{path} {headers}"] = resp.get_data(as_text=True)
    return out


@pytest.mark.parametrize("role", ROLES)
def test_hidden_fields_never_reach_the_role(app, client, login_as, make_user, role):
    viewer = login_as(role, regions=["east"] if role == "warehouse" else None)
    no = _order(app, make_user, viewer)
    pages = _pages(client, no)
    assert any(no in html for html in pages.values()), "the order page itself must render"
    hidden = [f for f in SENTINELS if DEFAULT_MATRIX[role][f] == "hidden"]
    leaks = [(f, s, where) for f in hidden for s in SENTINELS[f] for where, html in pages.items() if s in html]
    assert not leaks, leaks
    readable = [f for f in SENTINELS if f not in hidden and f != "external_id"]
    order_page = pages[f"/orders/{no} {{}}"]
    missing = [f for f in readable if not any(s in order_page for s in SENTINELS[f])]
    assert not missing, f"{role} should see {missing} on the order page"


def test_history_of_real_service_writes_is_filtered_per_role(app, make_user):
    from flask_login import login_user
    from flask import render_template_string
    from tests.factories import make_product
    from webapp.orders import services, txn
    admin, worker, seller = make_user("admin"), make_user("warehouse", regions=["east"]), make_user("sales")
    with app.test_request_context():
        make_product("TEA", price="268.00", cost="150.00")
        actor = db.session.get(User, admin.id)
        no = make_order(salesperson=db.session.get(User, seller.id)).order_no
        edits = ({"discount": "11.11"}, None), ({"address": "浙江省宁波市鄞州区中山路 5 号"}, None), \
            ({}, [{"sku": "CUP-500", "quantity": "2"}, {"sku": "TEA", "quantity": "1"}])
        for raw, items in edits:
            txn.run(lambda: services.update_order(no, raw, items, actor=actor, via="web"), actor=actor, via="web")
        txn.run(lambda: services.transition(no, "confirmed", actor=actor, via="web"), actor=actor, via="web")
        pages = {}
        for user in (worker, seller, admin):
            login_user(db.session.get(User, user.id))
            pages[user.role_code] = render_template_string('{% include "partials/orders/_history.html" %}',
                                                           order={"order_no": no})
    assert "中山路 5 号" in pages["warehouse"] and "商品 TEA × 1" in pages["warehouse"]
    assert "¥" not in pages["warehouse"] and "11.11" not in pages["warehouse"]
    assert "¥11.11" in pages["sales"] and "150.00" not in pages["sales"] and "利润" not in pages["sales"]
    assert "成本 ¥150.00" in pages["admin"] and "利润" in pages["admin"]
