"""Read side of the API: order pages (keyset on updated_at, id), customers by phone, products.

Every query starts from the board's filtered select (webapp.orders.queries): the user's row scope,
live orders only, region / channel / search as the board understands them.
"""
import base64
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, tuple_
from sqlalchemy.orm import joinedload

from webapp.access.policy import policy_for
from webapp.core.errors import AppError
from webapp.extensions import db
from webapp.orders.models import Customer, Order, Product
from webapp.orders.phones import normalize_phone
from webapp.orders.queries import BoardQuery, _filtered


def encode_cursor(order: Order) -> str:
    """Encode the position after `order` (updated_at, id)."""
    raw = f"{order.updated_at.isoformat()}|{order.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(text: str) -> tuple:
    """Decode a cursor; a malformed one is a 400 naming `cursor`."""
    try:
        stamp, ident = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode().split("|")
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            raise ValueError("naive")
        return moment, int(ident)
    except (ValueError, UnicodeDecodeError) as exc:
        raise AppError(400, _l("This cursor is not one we gave out; start again without it."), "invalid_cursor",
                       ["cursor"]) from exc


def order_page(args: dict, actor) -> tuple[list[Order], str | None]:
    """Return one page of the orders the actor may see, oldest change first, and the next cursor."""
    query = BoardQuery(region=args.get("region", ""), channel=args.get("channel", ""),
                       q=(args.get("q") or "").strip())
    stmt = _filtered(select(Order), query, actor)
    if args.get("status"):
        stmt = stmt.where(Order.status == args["status"])
    if args.get("updated_since"):
        stmt = stmt.where(Order.updated_at >= args["updated_since"])
    if args.get("cursor"):
        stmt = stmt.where(tuple_(Order.updated_at, Order.id) > tuple_(*decode_cursor(args["cursor"])))
    size = args["limit"]
    stmt = (stmt.options(joinedload(Order.salesperson).lazyload("*"))  # may be the caller: never raise
            .order_by(Order.updated_at, Order.id).limit(size + 1))
    rows = list(db.session.scalars(stmt))
    more = len(rows) > size
    rows = rows[:size]
    return rows, (encode_cursor(rows[-1]) if more else None)


def customers_by_phone(phone: str, actor) -> list[dict]:
    """Return the customer with this phone (any format) if the actor may see one of their orders."""
    try:
        e164 = normalize_phone(phone)
    except ValueError as exc:
        raise AppError(422, _l("Enter a valid phone number, e.g. 138 0013 8000."), "invalid", ["phone"]) from exc
    policy = policy_for(actor)
    if not policy.can_read("customer_phone"):
        return []  # looking up by a field one may not read would reveal it
    visible = policy.scope_filter(select(Order.id).where(Order.customer_id == Customer.id,
                                                         Order.deleted_at.is_(None)), Order)
    customer = db.session.scalar(select(Customer).where(Customer.phone == e164, visible.exists()))
    if customer is None:
        return []
    out = {"id": customer.id}
    for key, name in (("name", "customer_name"), ("phone", "customer_phone"), ("address", "address")):
        if policy.can_read(name):
            out[key] = getattr(customer, key)
    return [out]


def products(include_inactive: bool = False) -> list[Product]:
    """Return the catalogue, by SKU."""
    stmt = select(Product).order_by(Product.sku)
    if not include_inactive:
        stmt = stmt.where(Product.active.is_(True))
    return list(db.session.scalars(stmt))
