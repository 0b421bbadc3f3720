"""Built-in permission matrix and row scopes, from the source document (deny by default)."""

ORDER_FIELDS = (
    "order_no", "channel", "external_id", "customer_name", "customer_phone", "address", "region",
    "salesperson", "status", "items", "discount", "shipping_fee", "total_amount", "cost_total",
    "profit", "carrier", "tracking_no", "outbound_at", "notes",
)
# Money on order lines, ruled apart from `items` so a warehouse worker sees what to pack without
# prices and a salesperson sees prices without costs. Reading/writing them also needs `items`.
LINE_MONEY = ("unit_price", "unit_cost")
LINE_FIELDS = ("sku", "name", "unit_price", "quantity", "unit_cost")
# Not order columns, but guarded the same way: photo evidence (warehouse domain).
EXTRA_FIELDS = ("photos",)
MATRIX_FIELDS = ORDER_FIELDS + LINE_MONEY + EXTRA_FIELDS
# Actions a role may take on orders beyond field writes: "write" = allowed, "hidden" = not.
ACTIONS = ("approve", "delete", "restore", "unlock")
# Actions that also need a fresh second verification (webapp.access.stepup).
STEPUP_ACTIONS = ("delete", "restore", "unlock")
AMOUNT_FIELDS = ("discount", "shipping_fee", "total_amount", "cost_total", "profit") + LINE_MONEY
LEVELS = ("hidden", "read", "write")
SCOPES = ("own", "region", "all")
COMPUTED = ("order_no", "status", "total_amount", "cost_total", "profit")  # never written as typed
# Fields frozen once an order is confirmed (admin with second verification may unlock).
LOCKED_AFTER_CONFIRM = ("items", "discount", "shipping_fee") + LINE_MONEY
CONFIRMED_ON = ("confirmed", "in_production", "outbound", "in_transit", "completed")


def _row(read: str = "", write: str = "", actions: str = "") -> dict:
    cells = {f: "hidden" for f in MATRIX_FIELDS + ACTIONS}
    cells.update({f: "read" for f in read.split()})
    cells.update({f: "write" for f in write.split()})
    cells.update({a: "write" for a in actions.split()})
    return cells


ALL = " ".join(MATRIX_FIELDS)
CONTACT = "order_no channel customer_name customer_phone address region status"
FULFILMENT = "carrier tracking_no outbound_at notes photos"
CONTENT = "channel external_id customer_name customer_phone address region salesperson items unit_price " \
          "unit_cost discount shipping_fee " + FULFILMENT
DEFAULT_MATRIX = {
    # Admins may do everything; delete/restore/unlock also need second verification.
    "admin": _row(ALL, CONTENT, "approve delete restore unlock"),
    # Managers see everything, approve, and may correct content (not unlock confirmed lines).
    "manager": _row(ALL, CONTENT, "approve"),
    # Sales enter and see only their own orders; never cost or profit; prices come from the catalogue.
    "sales": _row(CONTACT + " external_id salesperson items unit_price discount shipping_fee total_amount "
                  + FULFILMENT, "channel customer_name customer_phone address items discount shipping_fee notes"),
    # Warehouse: their regions from confirmed on; change only fulfilment fields; never amounts.
    "warehouse": _row(CONTACT + " items " + FULFILMENT, FULFILMENT),
    # Finance: every amount, cost and profit; no change to order content.
    "finance": _row(ALL),
    # Support: state and contact details (and what was ordered, where it is); adds notes; no amounts.
    "support": _row(CONTACT + " salesperson items " + FULFILMENT, "notes"),
}
DEFAULT_SCOPES = {"admin": "all", "manager": "all", "sales": "own", "warehouse": "region",
                  "finance": "all", "support": "all"}
