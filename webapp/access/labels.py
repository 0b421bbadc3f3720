"""Human names of matrix fields, actions, levels and scopes, in the user's language."""
from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    "order_no": _l("Order number"), "channel": _l("Channel"), "external_id": _l("External ID"),
    "customer_name": _l("Customer name"), "customer_phone": _l("Customer phone"), "address": _l("Address"),
    "region": _l("Region"), "salesperson": _l("Salesperson"), "status": _l("State"), "items": _l("Items"),
    "discount": _l("Discount"), "shipping_fee": _l("Shipping fee"), "total_amount": _l("Amount due"),
    "cost_total": _l("Total cost"), "profit": _l("Profit"), "carrier": _l("Carrier"),
    "tracking_no": _l("Tracking number"), "outbound_at": _l("Outbound time"), "notes": _l("Notes"),
    "unit_price": _l("Line unit price"), "unit_cost": _l("Line unit cost"), "photos": _l("Photos"),
    "sku": _l("SKU"), "name": _l("Product name"), "quantity": _l("Quantity"),
    "approve": _l("Approve orders"), "delete": _l("Delete orders"), "restore": _l("Restore orders"),
    "unlock": _l("Unlock locked fields"),
}
LEVEL_LABELS = {"hidden": _l("hidden"), "read": _l("read"), "write": _l("write")}
ACTION_LEVEL_LABELS = {"hidden": _l("no"), "write": _l("yes")}
SCOPE_LABELS = {"own": _l("Own orders"), "region": _l("Their regions, from confirmed on"),
                "all": _l("All orders")}


def field_label(name: str | None) -> str:
    """Return the translated name of a matrix field or action (the key itself if unknown)."""
    return str(FIELD_LABELS.get(name, name or ""))


def level_label(level: str, action: bool = False) -> str:
    """Return the translated name of a matrix level."""
    return str((ACTION_LEVEL_LABELS if action else LEVEL_LABELS).get(level, level))


def scope_label(scope: str) -> str:
    """Return the translated name of a row scope."""
    return str(SCOPE_LABELS.get(scope, scope))
