"""Human names of matrix fields, actions, levels and scopes, in the user's language."""
from flask_babel import lazy_gettext as _l

from webapp.core.labels import step_label

FIELD_LABELS = {
    "order_no": _l("Order number"), "channel": _l("Channel"), "external_id": _l("External ID"),
    "customer_name": _l("Customer name"), "customer_phone": _l("Customer phone"), "address": _l("Address"),
    "region": _l("Region"), "salesperson": _l("Salesperson"), "status": _l("State"), "items": _l("Items"),
    "discount": _l("Discount"), "shipping_fee": _l("Shipping fee"), "total_amount": _l("Amount due"),
    "shipping_paid_by": _l("Shipping paid by"),
    "cost_total": _l("Total cost"), "profit": _l("Profit"), "carrier": _l("Carrier"),
    "tracking_no": _l("Tracking number"), "outbound_at": _l("Outbound time"), "notes": _l("Notes"),
    "unit_price": _l("Line unit price"), "unit_cost": _l("Line unit cost"), "photos": _l("Photos"),
    "refund_amount": _l("Refund amount"),
    "sku": _l("SKU"), "name": _l("Product name"), "quantity": _l("Quantity"),
    "approve": _l("Approve orders"), "delete": _l("Delete orders"), "restore": _l("Restore orders"),
    "unlock": _l("Unlock locked fields"),
}
AREA_LABELS = {
    "admin_console": _l("Admin console"), "audit_log": _l("Audit log"), "catalogue": _l("Product catalogue"),
    "catalogue_price": _l("Change catalogue prices and costs"),
    "sms_log": _l("SMS log"), "paper_form": _l("Paper order forms"), "reports": _l("Reports"),
    "alert_overdue": _l("Overdue alerts"), "alert_overdue_escalated": _l("Escalated overdue alerts"),
    "risk_review": _l("Risk review queue"), "dashboard": _l("Dashboard"), "aftersales": _l("After-sales cases"),
    "refund_review": _l("Approve refunds"), "intake": _l("Order intake (paste, import)"),
    "inquiries": _l("Customer inquiries"),
}
HOME_LABELS = {"warehouse": _l("Warehouse: scan and tasks"), "sales": _l("Sales: new order and my orders"),
               "board": _l("Order board"), "admin": _l("Admin console")}
LEVEL_LABELS = {"hidden": _l("hidden"), "read": _l("read"), "write": _l("write")}
ACTION_LEVEL_LABELS = {"hidden": _l("no"), "write": _l("yes")}
SCOPE_LABELS = {"own": _l("Own orders"), "region": _l("Their regions, from confirmed on"),
                "all": _l("All orders")}


def field_label(name: str | None) -> str:
    """Return the translated name of a matrix field or action (the key itself if unknown)."""
    if name and ">" in name:
        return step_label(*name.split(">", 1))
    return str(FIELD_LABELS.get(name) or AREA_LABELS.get(name) or name or "")


action_label = field_label


def home_label(home: str) -> str:
    """Return the translated name of a home screen."""
    return str(HOME_LABELS.get(home, home))


def level_label(level: str, action: bool = False) -> str:
    """Return the translated name of a matrix level."""
    return str((ACTION_LEVEL_LABELS if action else LEVEL_LABELS).get(level, level))


def scope_label(scope: str) -> str:
    """Return the translated name of a row scope."""
    return str(SCOPE_LABELS.get(scope, scope))
