"""The 24-hour copy: the last 24 hours plus open tasks, inside the row scope, only readable fields."""
import json
from datetime import timedelta

import pytest

from tests.factories import make_order
from webapp.access.defaults import DEFAULT_MATRIX
from webapp.vocab import LINE_MONEY, ORDER_FIELDS
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.offline.copy import build_copy

ROLES = ("admin", "manager", "sales", "warehouse", "finance", "support")
# Keys a copy may carry beside matrix fields: bookkeeping and values derived from readable fields.
DERIVED = {"_meta": None, "phone_display": "customer_phone", "phone_masked": "customer_phone", "goods": "total_amount",
           "line_money": "items"}


def _orders(app, hours, **kw):
    with app.app_context():
        return [make_order(at=utcnow() - timedelta(hours=h), **kw).order_no for h in hours]


def copy_for(client):
    resp = client.get("/offline/copy.json")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    return resp.json


def test_copy_holds_the_last_24_hours_and_not_older(app, client, login_as):
    recent, old = _orders(app, [20, 30], status="pending_payment")
    login_as("manager")
    numbers = {o["order_no"] for o in copy_for(client)["orders"]}
    assert recent in numbers and old not in numbers


def test_warehouse_copy_keeps_open_tasks_older_than_a_day_and_only_its_regions(app, client, login_as):
    task, = _orders(app, [72], status="confirmed")
    elsewhere, = _orders(app, [1], status="confirmed", address="北京市朝阳区建国路 1 号")
    early, = _orders(app, [1], status="pending_payment")
    login_as("warehouse", regions=["east"])
    copy = copy_for(client)
    numbers = {o["order_no"] for o in copy["orders"]}
    assert task in numbers and task in copy["tasks"]
    assert elsewhere not in numbers and early not in numbers


def test_sales_copy_holds_only_their_own_orders(app, client, login_as, make_user):
    other = make_user("sales")
    theirs, = _orders(app, [2], salesperson=other)
    me = login_as("sales")
    mine, = _orders(app, [2], salesperson=me)
    numbers = {o["order_no"] for o in copy_for(client)["orders"]}
    assert numbers == {mine}


@pytest.mark.parametrize("role", ROLES)
def test_copy_has_no_field_the_role_may_not_read(app, client, login_as, role):
    _orders(app, [1, 5], status="confirmed", notes="fragile", carrier="SF", tracking_no="SF1")
    login_as(role, regions=["east"] if role == "warehouse" else None)
    copy = copy_for(client)
    readable = {f for f in ORDER_FIELDS + LINE_MONEY if DEFAULT_MATRIX[role][f] in ("read", "write")}
    assert set(copy["fields"]) <= readable
    if role != "sales":
        assert copy["orders"], "the test needs orders in the copy"
    for order in copy["orders"]:
        for key in order:
            assert key in readable or (key in DERIVED and (DERIVED[key] is None or DERIVED[key] in readable)), key
        for line in order.get("items", []):
            for money in LINE_MONEY:
                assert money not in line or money in readable, (role, money)
    hidden = [f for f in ("cost_total", "profit", "total_amount", "unit_cost", "unit_price") if f not in readable]
    text = json.dumps(copy["orders"])
    for name in hidden:
        assert f'"{name}"' not in text, (role, name)


def test_copy_needs_a_login(client):
    resp = client.get("/offline/copy.json", headers={"Accept": "application/json"})
    assert resp.status_code == 401


def test_copy_records_version_and_change_time(app, make_user):
    user = make_user("finance")
    no, = _orders(app, [3])
    with app.app_context():
        user = db.session.merge(user)
        copy = build_copy(user)
    order = next(o for o in copy["orders"] if o["order_no"] == no)
    assert order["_meta"]["version"] == 1 and order["_meta"]["changed_at"]
    assert order["total_amount"] == "258.00"
