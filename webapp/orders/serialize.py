"""The one projection: what of an order (or a product) a user may see, and nothing else.

Pages, htmx fragments, the history, print views, the offline copy, push payloads, reports and the
API all render these dicts, never the row itself, so a hidden field cannot reach a user by
accident. Line money follows one rule, Policy.can_read_line (webapp.access.policy).
"""
from decimal import Decimal

from webapp.orders.phones import local_display
from webapp.vocab import LINE_MONEY, ORDER_FIELDS

SCALARS = tuple(f for f in ORDER_FIELDS if f not in ("salesperson", "items"))
SCALAR_SET = frozenset(SCALARS)


def order_view(order, policy, with_lines: bool = True) -> dict:
    """Return the readable fields of an order for this policy (plus id, version and timestamps)."""
    view = {"id": order.id, "version": order.version, "created_at": order.created_at,
            "updated_at": order.updated_at, "state_changed_at": order.state_changed_at,
            "deleted_at": order.deleted_at, "readable": policy.readable}
    view |= {name: getattr(order, name) for name in policy.readable if name in SCALAR_SET}
    if policy.can_read("customer_phone"):
        view["phone_display"] = local_display(order.customer_phone)
    if policy.can_read("salesperson"):
        view["salesperson"] = order.salesperson.name if order.salesperson else None
    if with_lines and policy.can_read("items"):
        view["items"] = [line_view(ln, policy) for ln in order.lines]
        view["line_money"] = tuple(name for name in LINE_MONEY if policy.can_read_line(name))
        if policy.can_read("total_amount"):
            view["goods"] = sum((ln.unit_price * ln.quantity for ln in order.lines), Decimal("0.00"))
    return view


def line_view(line, policy) -> dict:
    """Return one line (or catalogue product) with only the keys the policy may read."""
    return {name: getattr(line, name) for name in policy.line_fields}


def product_view(product, policy) -> dict:
    """Return a catalogue item for the order form: price and cost only where lines would show them."""
    view = {"sku": product.sku, "name": product.name, "active": product.active}
    for name in LINE_MONEY:
        if policy.can_read_line(name):
            view[name] = getattr(product, name)
    return view


API_META = ("version", "created_at", "updated_at")


def order_json(order, policy) -> dict:
    """Return the order as the API and webhooks show it: readable fields only, JSON-ready.

    Money is a decimal string ("123.45"), instants are ISO 8601 in UTC, lines keep only readable keys.
    """
    view = order_view(order, policy)
    out = {name: json_value(view[name]) for name in API_META}
    for name in policy.readable:
        if name == "items":
            out["items"] = [{k: json_value(v) for k, v in line.items()} for line in view.get("items", [])]
        elif name in view:
            out[name] = json_value(view[name])
    return out


def json_value(value):
    """Return a JSON-safe form of a projected value: money as an exact string, instants as ISO 8601."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [{k: json_value(v) for k, v in item.items()} for item in value]
    if isinstance(value, tuple):
        return list(value)
    return value
