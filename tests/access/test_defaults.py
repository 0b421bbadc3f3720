"""The built-in matrix says what the source document says, role by role (a table, deny by default)."""
import pytest

from webapp.access.defaults import DEFAULT_MATRIX, DEFAULT_SCOPES, MATRIX_FIELDS
from webapp.access.policy import Policy
from webapp.vocab import AMOUNT_FIELDS, LOCKED_AFTER_CONFIRM, ORDER_ACTIONS as ACTIONS

FULFILMENT = {"carrier", "tracking_no", "outbound_at", "notes", "photos"}
# role → (fields written, fields hidden, actions allowed, scope)
EXPECTED = {
    "sales": ({"channel", "customer_name", "customer_phone", "address", "items", "discount", "shipping_fee",
               "shipping_paid_by", "notes", "refund_amount"}, {"cost_total", "profit", "unit_cost"}, set(), "own"),
    "warehouse": (FULFILMENT, set(AMOUNT_FIELDS) | {"salesperson", "external_id", "shipping_paid_by", "refund_amount"}, set(),
                  "region"),
    "finance": (set(), set(), set(), "all"),
    "support": ({"notes"}, set(AMOUNT_FIELDS) | {"external_id", "shipping_paid_by", "refund_amount"}, set(), "all"),
    "manager": (set(MATRIX_FIELDS) - {"order_no", "status", "total_amount", "cost_total", "profit"}, set(),
                {"approve"}, "all"),
    "admin": (set(MATRIX_FIELDS) - {"order_no", "status", "total_amount", "cost_total", "profit"}, set(),
              set(ACTIONS), "all"),
}
CASES = [(role, name) for role in EXPECTED for name in MATRIX_FIELDS]


@pytest.mark.parametrize("role,name", CASES)
def test_builtin_level_follows_the_source_document(role, name):
    writes, hidden, _actions, _scope = EXPECTED[role]
    level = DEFAULT_MATRIX[role][name]
    expected = "write" if name in writes else "hidden" if name in hidden else "read"
    assert level == expected, f"{role}.{name}"


@pytest.mark.parametrize("role", EXPECTED)
def test_builtin_actions_and_scope(role):
    _w, _h, actions, scope = EXPECTED[role]
    assert {a for a in ACTIONS if DEFAULT_MATRIX[role][a] == "write"} == actions
    assert DEFAULT_SCOPES[role] == scope


def test_sales_never_see_cost_or_profit_and_warehouse_never_see_amounts():
    sales = Policy("sales", DEFAULT_MATRIX["sales"])
    warehouse = Policy("warehouse", DEFAULT_MATRIX["warehouse"])
    assert not any(sales.can_read(f) for f in ("cost_total", "profit", "unit_cost"))
    assert sales.line_fields == ("sku", "name", "unit_price", "quantity")
    assert not any(warehouse.can_read(f) for f in AMOUNT_FIELDS)
    assert warehouse.line_fields == ("sku", "name", "quantity")


def test_lines_and_prices_lock_after_confirmation():
    assert {"items", "discount", "shipping_fee", "unit_price", "unit_cost"} <= set(LOCKED_AFTER_CONFIRM)


def test_a_field_no_one_has_ruled_is_hidden():
    assert Policy("sales", DEFAULT_MATRIX["sales"]).level("brand_new_field") == "hidden"
    assert Policy("nobody").readable == ()
