"""The API joins the role × field permission table as a fourth write path: PATCH /api/v1/orders/<no>.

A permitted field changes (version + 1, an audit entry via api); a refused one answers 403 naming it,
changes nothing and leaves a `refused_write` entry — exactly as the matrix says, for every role and field.
"""
import pytest
from sqlalchemy import select

from tests.access.matrix_table import EXPECTED
from tests.access.test_write_paths import ITEMS, ROLES, VALUES, _entries, _order_for, _snapshot
from tests.factories import make_product
from webapp.vocab import ORDER_FIELDS
from webapp.auth.models import User
from webapp.extensions import db
from webapp.orders.models import Order

EDITS = ("update", "line_added", "line_changed", "line_removed")


def _body(name: str) -> dict:
    if name == "items":
        return {"items": [{"sku": i["sku"], "quantity": int(i["quantity"])} for i in ITEMS]}
    return {name: VALUES[name]}


def _state(order_no: str) -> dict:
    db.session.expire_all()
    return _snapshot(db.session.scalar(select(Order).where(Order.order_no == order_no)))


def _mismatch(api, user_id: int, role: str, name: str) -> str | None:
    """PATCH one field on a fresh order in scope; describe how the result differs from the table."""
    order_no = _order_for(db.session.get(User, user_id))
    before = _state(order_no)
    resp = api.patch(f"/api/v1/orders/{order_no}", json=_body(name))
    after, log = _state(order_no), _entries(order_no)[1:]
    if EXPECTED[role][name] == "write":
        ok = resp.status_code == 200 and after["version"] == before["version"] + 1 and \
            any(action in EDITS for action, _field in log)
    else:
        ok = resp.status_code == 403 and name in resp.get_json()["fields"] and after == before and \
            resp.mimetype == "application/problem+json" and \
            any(action == "refused_write" and name in (field or "").split(",") for action, field in log)
    return None if ok else f"{role}/{name}: status={resp.status_code} log={log}"


@pytest.mark.parametrize("role", ROLES)
def test_api_write_result_is_exactly_what_the_matrix_says(app, api_as, make_user, role):
    make_user("sales", "othersales")  # the salesperson VALUES names
    user, api = api_as(role)
    with app.test_request_context():
        make_product("CUP-500", price="129.00", cost="52.30")
        mismatches = [m for m in (_mismatch(api, user.id, role, name) for name in ORDER_FIELDS) if m]
    assert not mismatches, "\n".join(mismatches)


def test_several_forbidden_fields_are_all_named_and_nothing_changes(app, api_as):
    user, api = api_as("warehouse")
    with app.app_context():
        order_no = _order_for(db.session.get(User, user.id))
    resp = api.patch(f"/api/v1/orders/{order_no}", json={"notes": "ok", "discount": "1.00", "customer_name": "李四"})
    assert resp.status_code == 403
    assert set(resp.get_json()["fields"]) == {"discount", "customer_name"}
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.order_no == order_no))
        assert order.version == 1 and order.notes == ""
