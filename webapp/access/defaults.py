"""Built-in permission matrix and row scopes, from the source document (deny by default)."""

ORDER_FIELDS = (
    "order_no", "channel", "external_id", "customer_name", "customer_phone", "address", "region",
    "salesperson", "status", "items", "discount", "shipping_fee", "total_amount", "cost_total",
    "profit", "carrier", "tracking_no", "outbound_at", "notes",
)
LEVELS = ("hidden", "read", "write")
SCOPES = ("own", "region", "all")
COMPUTED = ("order_no", "status", "total_amount", "cost_total", "profit")  # never written as typed
# Fields frozen once an order is confirmed (admin with second verification may unlock).
LOCKED_AFTER_CONFIRM = ("items", "discount", "shipping_fee")
CONFIRMED_ON = ("confirmed", "in_production", "outbound", "in_transit", "completed")


def _row(read: str = "", write: str = "") -> dict:
    cells = {f: "hidden" for f in ORDER_FIELDS}
    cells.update({f: "read" for f in read.split()})
    cells.update({f: "write" for f in write.split()})
    return cells


ALL = " ".join(ORDER_FIELDS)
DEFAULT_MATRIX = {
    "admin": _row(ALL, "channel external_id customer_name customer_phone address region salesperson items "
                       "discount shipping_fee carrier tracking_no outbound_at notes"),
    "manager": _row(ALL, "customer_name customer_phone address region salesperson items discount "
                         "shipping_fee carrier tracking_no notes"),
    "sales": _row("order_no channel external_id customer_name customer_phone address region salesperson status "
                  "items discount shipping_fee total_amount carrier tracking_no outbound_at notes",
                  "channel customer_name customer_phone address items discount shipping_fee notes"),
    "warehouse": _row("order_no channel customer_name customer_phone address region status items carrier "
                      "tracking_no outbound_at notes", "carrier tracking_no outbound_at notes"),
    "finance": _row(ALL),
    "support": _row("order_no channel external_id customer_name customer_phone address region salesperson status "
                    "items discount shipping_fee total_amount carrier tracking_no outbound_at notes", "notes"),
}
DEFAULT_SCOPES = {"admin": "all", "manager": "all", "sales": "own", "warehouse": "region",
                  "finance": "all", "support": "all"}
