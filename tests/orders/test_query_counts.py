"""SQL statements per page stay constant whatever the number of orders or lines (pins the bench figure)."""
from decimal import Decimal

import pytest
from sqlalchemy import event

from tests.factories import make_order
from webapp.extensions import db

LINE = {"sku": "CUP-500", "name": "杯", "unit_price": Decimal("129.00"), "quantity": 1, "unit_cost": Decimal("50.00")}
# Board: BEGIN (SQLite), user + regions, policy (matrix + scope), one page of orders, counts per state.
# Order page: BEGIN, user + regions, policy (matrix + scope), the order, its lines, its timeline.
BOARD_MAX = 8  # + the overdue tab's count (issue 15)
# The order page: its history (entries + the actors' names) and the approval panel (rules, holds, request: issue 13).
PAGE_MAX = 14  # +1: the order's note entries (webapp.orders.notes), one query whatever their number


def _count(app, client, url):
    with app.app_context():
        engine = db.engine
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    client.get(url)  # warm up (first request loads things once per process)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        resp = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert resp.status_code == 200
    return len(seen), seen


@pytest.mark.parametrize("role", ["manager", "sales", "warehouse"])
def test_board_query_count_is_constant(app, client, login_as, role):
    user = login_as(role)
    mine = user if role == "sales" else None
    with app.app_context():
        make_order(salesperson=mine, status="confirmed")
    few, _ = _count(app, client, "/orders")
    with app.app_context():
        for _ in range(40):
            make_order(salesperson=mine, status="confirmed", lines=[LINE] * 5)
    many, statements = _count(app, client, "/orders?region=east")
    assert few == many <= BOARD_MAX, statements


def test_order_page_query_count_is_constant(app, client, login_as, make_user):
    login_as("manager")
    seller = make_user("sales")
    with app.app_context():
        small = make_order().order_no
        big = make_order(salesperson=seller, lines=[LINE | {"sku": f"S{i}"} for i in range(30)]).order_no
    for note in ("一", "二", "三"):  # history entries by a person: their names come in one query
        client.post(f"/orders/{small}/edit", data={"notes": note})
        client.post(f"/orders/{big}/edit", data={"notes": note})
    one, _ = _count(app, client, f"/orders/{small}")
    thirty, statements = _count(app, client, f"/orders/{big}")
    assert one == thirty <= PAGE_MAX, statements
