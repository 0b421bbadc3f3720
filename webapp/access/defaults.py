"""Built-in roles as data: each one's matrix row (fields and actions), row scope and home screen.

Deny by default: a cell not listed is hidden. These are the defaults the admin starts from; stored
cells override them (webapp.access.policy.role_policy), and a copied role stores its full row.
"""
from webapp.vocab import ACTIONS, LINE_MONEY, ORDER_FIELDS, step_action
# Not order columns, but guarded the same way: photo evidence (warehouse domain); an after-sales case's
# refund amount (read: shown on case pages, lists, exports, the dashboard; write: set it on a case).
EXTRA_FIELDS = ("photos", "refund_amount")
MATRIX_FIELDS = ORDER_FIELDS + LINE_MONEY + EXTRA_FIELDS
MATRIX_KEYS = MATRIX_FIELDS + ACTIONS


def _row(read: str = "", write: str = "", actions: str = "") -> dict:
    cells = {f: "hidden" for f in MATRIX_KEYS}
    cells.update({f: "read" for f in read.split()})
    cells.update({f: "write" for f in write.split()})
    cells.update({a: "write" for a in actions.split()})
    return cells


def _steps(*pairs: str) -> str:
    """Return the step actions for "source>target" pairs (approve stays "approve")."""
    return " ".join(step_action(*pair.split(">")) for pair in pairs)


ALL = " ".join(MATRIX_FIELDS)
CONTACT = "order_no channel customer_name customer_phone address region status"
FULFILMENT = "carrier tracking_no outbound_at notes photos"
CONTENT = "channel external_id customer_name customer_phone address region salesperson items unit_price " \
          "unit_cost discount shipping_fee shipping_paid_by " + FULFILMENT
PAY = _steps("pending_payment>confirmed", "pending_payment>awaiting_approval")
FLOOR = _steps("confirmed>in_production", "in_production>outbound", "outbound>in_transit")
COMPLETE = _steps("in_transit>completed")
CANCEL = _steps("pending_payment>cancelled", "awaiting_approval>cancelled", "confirmed>cancelled")
DEFAULT_MATRIX = {
    # Admins may do everything; delete/restore/unlock also need second verification.
    "admin": _row(ALL, CONTENT, f"approve delete restore unlock {PAY} {CANCEL} admin_console audit_log "
                                "catalogue catalogue_price sms_log paper_form reports alert_overdue_escalated "
                                "risk_review dashboard aftersales refund_review intake inquiries"),
    # Managers see everything, approve, run the floor, and may correct content (not unlock confirmed lines).
    "manager": _row(ALL, CONTENT, f"approve {PAY} {FLOOR} {COMPLETE} {CANCEL} catalogue catalogue_price sms_log "
                                  "paper_form reports alert_overdue alert_overdue_escalated risk_review dashboard "
                                  "aftersales intake inquiries"),
    # Sales enter and see only their own orders; never cost or profit; prices come from the catalogue.
    "sales": _row(CONTACT + " external_id salesperson items unit_price discount shipping_fee total_amount "
                  + FULFILMENT, "channel customer_name customer_phone address items discount shipping_fee "
                  "shipping_paid_by notes",
                  f"{PAY} {CANCEL} paper_form aftersales intake inquiries"),
    # Warehouse: their regions from confirmed on; change only fulfilment fields; never amounts.
    "warehouse": _row(CONTACT + " items " + FULFILMENT, FULFILMENT, f"{FLOOR} {COMPLETE}"),
    # Finance: every amount, cost and profit; no change to order content.
    "finance": _row(ALL, "", f"{PAY} reports dashboard refund_review"),
    # Support: state and contact details (and what was ordered, where it is); adds notes; no amounts.
    "support": _row(CONTACT + " salesperson items " + FULFILMENT, "notes",
                    f"{COMPLETE} reports dashboard aftersales inquiries"),
}
for _role in ("admin", "manager", "sales"):  # set refund amounts on cases; finance reads them (ALL)
    DEFAULT_MATRIX[_role]["refund_amount"] = "write"
DEFAULT_SCOPES = {"admin": "all", "manager": "all", "sales": "own", "warehouse": "region",
                  "finance": "all", "support": "all"}
DEFAULT_HOMES = {"admin": "admin", "manager": "board", "sales": "sales", "warehouse": "warehouse",
                 "finance": "board", "support": "board"}
