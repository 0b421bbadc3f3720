"""Every role × every order field × every write path that exists: the result is exactly the written table.

Paths: the write service itself, the order form post (POST /orders/<no>/edit) and the same post from
htmx. A permitted write changes the field and leaves an `update`/line entry; a refused one answers 403,
changes nothing (same version, same values) and leaves a `refused_write` entry naming the field.
"""
import pytest
from sqlalchemy import select

from tests.access.matrix_table import EXPECTED
from tests.factories import make_order, make_product
from webapp.audit.models import AuditEntry
from webapp.auth.models import User
from webapp.extensions import db
from webapp.orders import services, txn
from webapp.orders.errors import Forbidden
from webapp.orders.models import Order
from webapp.vocab import ORDER_FIELDS

ROLES = ("admin", "manager", "sales", "warehouse", "finance", "support")
PATHS = ("service", "form", "htmx")
VALUES = {
    "order_no": "SO20991231-0001", "channel": "phone", "external_id": "EXT-9", "customer_name": "李四",
    "customer_phone": "13911112222", "address": "浙江省宁波市鄞州区中山路 5 号", "region": "south",
    "salesperson": "othersales", "status": "completed", "discount": "5.00", "shipping_fee": "12.00",
    "shipping_paid_by": "customer",
    "total_amount": "1.00", "cost_total": "1.00", "profit": "999.00", "carrier": "顺丰",
    "tracking_no": "SF1234567890", "outbound_at": "2026-11-20T10:00", "notes": "小心轻放",
}
ITEMS = [{"sku": "CUP-500", "quantity": "3"}]


def _snapshot(order: Order) -> dict:
    return {f: getattr(order, f) for f in ORDER_FIELDS if f not in ("items", "salesperson")} | {
        "salesperson_id": order.salesperson_id, "version": order.version,
        "lines": [(ln.sku, ln.quantity, ln.unit_price) for ln in order.lines]}


def _order_for(user) -> str:
    """Create an order inside the user's row scope (warehouse: east, from confirmed on)."""
    status = "confirmed" if user.role_code == "warehouse" else "pending_payment"
    return make_order(salesperson=user if user.role_code == "sales" else None, status=status).order_no


def _write(path, client, user, order_no, name):
    raw = {} if name == "items" else {name: VALUES[name]}
    items = ITEMS if name == "items" else None
    if path == "service":
        try:
            txn.run(lambda: services.update_order(order_no, raw, items, actor=user, via="web"), actor=user, via="web")
            return 200
        except Forbidden:
            return 403
    form = dict(raw) | ({"items-0-sku": "CUP-500", "items-0-quantity": "3"} if items else {})
    headers = {"HX-Request": "true"} if path == "htmx" else {}
    status = client.post(f"/orders/{order_no}/edit", data=form, headers=headers).status_code
    return 200 if status in (200, 302, 303) else status


def _expected(user, name) -> bool:
    """Say whether the hand-written table lets this role write the field (no path writes more)."""
    return EXPECTED[user.role_code][name] == "write"


def _entries(order_no):
    return [(e.action, e.field) for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.order_no == order_no).order_by(AuditEntry.id))]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("role", ROLES)
def test_write_result_is_exactly_what_the_matrix_says(app, client, login_as, make_user, role, path):
    make_user("sales", "othersales")
    user = login_as(role) if path != "service" else make_user(role)
    mismatches = []
    with app.test_request_context():
        make_product("CUP-500", price="129.00", cost="52.30")
        for name in ORDER_FIELDS:
            actor = db.session.get(User, user.id)
            order_no = _order_for(actor)
            before = _snapshot(db.session.scalar(select(Order).where(Order.order_no == order_no)))
            allowed = _expected(actor, name)
            status = _write(path, client, actor, order_no, name)
            db.session.expire_all()
            after = _snapshot(db.session.scalar(select(Order).where(Order.order_no == order_no)))
            log = _entries(order_no)[1:]  # after the creation entry
            if allowed:
                changed = name in ("items",) and after["lines"] != before["lines"] or after != before
                ok = status == 200 and changed and after["version"] == before["version"] + 1 and \
                    any(a in ("update", "line_added", "line_changed", "line_removed") for a, _f in log)
            else:
                ok = status == 403 and after == before and \
                    any(a == "refused_write" and name in (f or "").split(",") for a, f in log)
            if not ok:
                mismatches.append(f"{role}/{path}/{name}: allowed={allowed} status={status} log={log}")
    assert not mismatches, "\n".join(mismatches)


def test_the_table_covers_every_builtin_role_and_contract_field():
    assert set(ROLES) == set(EXPECTED)
    assert set(VALUES) | {"items"} == set(ORDER_FIELDS)


def test_a_matrix_change_in_the_console_is_what_the_next_write_meets(app, client, login_as, make_user):
    from tests.access.helpers import admin_client
    admin_client(login_as, client)
    assert client.post("/admin/matrix/support/notes", data={"level": "read"}).status_code == 302
    assert client.post("/admin/matrix/support/carrier", data={"level": "write"}).status_code == 302
    client.post("/logout")
    login_as("support")
    with app.app_context():
        order_no = make_order().order_no
    assert client.post(f"/orders/{order_no}/edit", data={"notes": "x"}).status_code == 403
    assert client.post(f"/orders/{order_no}/edit", data={"carrier": "顺丰"}).status_code in (302, 303)
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.order_no == order_no))
        assert order.carrier == "顺丰" and order.notes == ""
