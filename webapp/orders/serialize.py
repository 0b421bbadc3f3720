"""An order as one user may see it: only the fields the policy lets them read, nothing else.

Pages, partials, the API and the offline copy render these dicts, never the row itself, so a hidden
field cannot reach a user by accident. Line money follows the matrix cells unit_price / unit_cost
where the matrix has them, else total_amount / cost_total.
"""
from decimal import Decimal

from webapp.orders.phones import local_display

SCALARS = ("order_no", "channel", "external_id", "customer_name", "customer_phone", "address", "region",
           "status", "discount", "shipping_fee", "total_amount", "cost_total", "profit", "carrier",
           "tracking_no", "outbound_at", "notes")
LINE_GATES = {"unit_price": "total_amount", "unit_cost": "cost_total"}


def order_view(order, policy, with_lines: bool = True) -> dict:
    """Return the readable fields of an order for this policy (plus id, version and timestamps)."""
    view = {"id": order.id, "version": order.version, "created_at": order.created_at,
            "updated_at": order.updated_at, "state_changed_at": order.state_changed_at,
            "deleted_at": order.deleted_at, "readable": policy.readable}
    view |= {name: getattr(order, name) for name in SCALARS if policy.can_read(name)}
    if policy.can_read("customer_phone"):
        view["phone_display"] = local_display(order.customer_phone)
    if policy.can_read("salesperson"):
        view["salesperson"] = order.salesperson.name if order.salesperson else None
    if with_lines and policy.can_read("items"):
        view["items"] = [line_view(ln, policy) for ln in order.lines]
        view["line_money"] = tuple(name for name in LINE_GATES if line_money(policy, name))
        if policy.can_read("total_amount"):
            view["goods"] = sum((ln.unit_price * ln.quantity for ln in order.lines), Decimal("0.00"))
    return view


def line_money(policy, name: str) -> bool:
    """Say whether the policy may read a line's unit_price or unit_cost."""
    gate = name if name in policy.levels else LINE_GATES[name]
    return policy.can_read(gate) and policy.can_read(LINE_GATES[name])


def line_view(line, policy) -> dict:
    """Return one line with its price and cost only where the policy allows them."""
    view = {"sku": line.sku, "name": line.name, "quantity": line.quantity}
    for name in LINE_GATES:
        if line_money(policy, name):
            view[name] = getattr(line, name)
    return view


def product_view(product, policy) -> dict:
    """Return a catalogue item for the order form: cost only for those who may read costs."""
    view = {"sku": product.sku, "name": product.name, "active": product.active}
    for name in LINE_GATES:
        if line_money(policy, name):
            view[name] = getattr(product, name)
    return view


API_META = ("version", "created_at", "updated_at")


def order_json(order, policy) -> dict:
    """Return the order as the API and webhooks show it: readable fields only, JSON-ready.

    Money is a decimal string ("123.45"), instants are ISO 8601 in UTC, lines keep only readable keys.
    """
    view = order_view(order, policy)
    out = {name: _json_value(view[name]) for name in API_META}
    for name in policy.readable:
        if name == "items":
            out["items"] = [{k: _json_value(v) for k, v in line.items()} for line in view.get("items", [])]
        elif name in view:
            out[name] = _json_value(view[name])
    return out


def _json_value(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
