"""The API's schemas: they validate every request and are what /api/v1/openapi.json is generated from.

Input schemas refuse unknown keys (marshmallow's RAISE) and wrong types; the write service still
decides values and permissions. Output schemas describe what webapp.orders.serialize.order_json
and friends return: every order field is optional because each user sees only what they may read.
"""
from marshmallow import Schema, fields, validate

from webapp.vocab import AMOUNT_FIELDS, ORDER_FIELDS, REGIONS, SHIPPING_PAYERS, STATES

TEXT = {"customer_name": 64, "address": 255, "external_id": 64, "carrier": 32, "tracking_no": 64, "notes": 2000}
NULLABLE = ("external_id", "region", "carrier", "tracking_no", "outbound_at", "salesperson")
DESCRIPTIONS = {
    "discount": "Money as a decimal string, e.g. \"10.00\".", "shipping_fee": "Money as a decimal string.",
    "customer_phone": "Any common format; stored normalised (E.164).",
    "region": "A region code; empty or null: follows the address's province.",
    "salesperson": "A username.", "outbound_at": "ISO 8601 date-time.",
    "order_no": "Computed: refused (403) when written.", "status": "Changed only by transitions: refused (403).",
    "total_amount": "Computed: refused (403).", "cost_total": "Computed: refused (403).",
    "profit": "Computed: refused (403).",
    "shipping_paid_by": "Who pays shipping_fee: `customer` (added to total_amount) or `us` (only our cost); "
                        "default on create: `customer`.",
}


NO_NUL = validate.Regexp(r"^[^\x00]*$", error="NUL characters are not allowed.")  # PostgreSQL refuses them


def text(max_len: int, min_len: int = 0, **kw) -> fields.String:
    """Return a string field of bounded length that refuses NUL characters."""
    return fields.String(validate=[validate.Length(min=min_len, max=max_len), NO_NUL], **kw)


def _field(name: str, required: bool = False) -> fields.Field:
    meta = {"description": DESCRIPTIONS[name]} if name in DESCRIPTIONS else {}
    if name == "shipping_paid_by":
        return fields.String(required=required, validate=validate.OneOf(SHIPPING_PAYERS), metadata=meta)
    return text(TEXT.get(name, 64), required=required, allow_none=name in NULLABLE, metadata=meta)


class LineIn(Schema):
    """One line to order: the catalogue fills in name, price and cost."""

    sku = text(32, 1, required=True)
    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100_000))


def _order_in(required: tuple, name: str) -> type:
    """Build an input schema with every contract field (so writing a forbidden one is a 403 naming it)."""
    attrs = {f: _field(f, f in required) for f in ORDER_FIELDS if f != "items"}
    attrs["items"] = fields.List(fields.Nested(LineIn), required="items" in required,
                                 validate=validate.Length(min=1, max=200))
    return Schema.from_dict(attrs, name=name)


OrderCreate = _order_in(("customer_name", "customer_phone", "address", "items"), "OrderCreate")
_PatchFields = _order_in((), "PatchFields")


class OrderPatch(_PatchFields):
    """Any subset of order fields, plus the version the change is based on (or send If-Match)."""

    version = fields.Integer(strict=True, validate=validate.Range(min=1),
                             metadata={"description": "The order's version as last read; or send If-Match."})


class TransitionIn(Schema):
    """One step along the state machine, with the evidence the step needs."""

    to = fields.String(required=True, validate=validate.OneOf(STATES))
    version = fields.Integer(strict=True, validate=validate.Range(min=1))
    reason = text(500, metadata={"description": "Required to cancel."})
    carrier = text(32)
    tracking_no = text(64)


class OrderListArgs(Schema):
    """Filters and paging of GET /api/v1/orders (oldest change first, keyset on updated_at and id)."""

    status = fields.String(validate=validate.OneOf(STATES))
    region = fields.String(validate=validate.OneOf(tuple(REGIONS)))
    channel = text(16)
    updated_since = fields.AwareDateTime(default_timezone=None, metadata={
        "description": "Only orders changed at or after this instant (ISO 8601 with offset)."})
    q = text(64, metadata={"description": "Order number, phone number (any format) or exact customer name."})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = text(200, metadata={"description": "`next_cursor` of the page before."})


class PhoneArgs(Schema):
    """The phone number to look a customer up by (any format)."""

    phone = text(32, 1, required=True)


def _out(name: str) -> fields.Field:
    meta = {"description": "Money as a decimal string."} if name in AMOUNT_FIELDS else {}
    meta |= {"format": "date-time"} if name == "outbound_at" else {}
    meta |= {"description": "The salesperson's display name."} if name == "salesperson" else {}
    meta |= {"description": DESCRIPTIONS[name], "enum": list(SHIPPING_PAYERS)} if name == "shipping_paid_by" else {}
    return fields.String(allow_none=True, metadata=meta)


class _Priced(Schema):
    """A SKU with its name, and its price and cost where the reader may see them."""

    sku = fields.String(required=True)
    name = fields.String(required=True)
    unit_price = fields.String()
    unit_cost = fields.String()


class LineOut(_Priced):
    """A line as the reader may see it (unit_price / unit_cost only where readable)."""

    quantity = fields.Integer(required=True)


OrderOut = Schema.from_dict(
    {f: _out(f) for f in ORDER_FIELDS if f != "items"} | {
        "items": fields.List(fields.Nested(LineOut)),
        "version": fields.Integer(required=True, metadata={"description": "Also the ETag."}),
        "created_at": fields.String(required=True, metadata={"format": "date-time"}),
        "updated_at": fields.String(required=True, metadata={"format": "date-time"})},
    name="Order")


class OrderPage(Schema):
    """One page of orders and the cursor of the next (null at the end)."""

    data = fields.List(fields.Nested(OrderOut), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class ProductOut(_Priced):
    """A catalogue item (unit_cost only for those who may read costs)."""

    active = fields.Boolean(required=True)


class CustomerOut(Schema):
    """A customer having at least one order the caller may see; contact fields as readable."""

    id = fields.Integer(required=True)
    name = fields.String()
    phone = fields.String()
    address = fields.String()


class HistoryOut(Schema):
    """One line of an order's history, as readable for the caller."""

    id = fields.Integer(required=True)
    at = fields.String(required=True, metadata={"format": "date-time"})
    actor = fields.String(required=True)
    via = fields.String(required=True)
    action = fields.String(required=True)
    text = fields.String(required=True)


def page_of(item: type, name: str) -> type:
    """Build the schema of a `{"data": [item, …]}` answer."""
    return Schema.from_dict({"data": fields.List(fields.Nested(item), required=True)}, name=name)


HistoryPage = page_of(HistoryOut, "HistoryPage")
ProductPage = page_of(ProductOut, "ProductPage")
CustomerPage = page_of(CustomerOut, "CustomerPage")


class Problem(Schema):
    """An error (RFC 9457) that also carries `error`, `message` and `fields`."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    error = fields.String(required=True)
    message = fields.String(required=True)
    fields_ = fields.List(fields.String(), required=True, data_key="fields")
    errors = fields.Dict(keys=fields.String(), values=fields.String())
