"""The product catalogue and customers: add and change products (audited), search SKUs, find customers by phone."""
import json
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite

from webapp.audit.models import AuditEntry
from webapp.audit.services import as_text, record
from webapp.core.db import utcnow
from webapp.core.money import parse_money
from webapp.extensions import db
from webapp.orders.models import Customer, Product

PRODUCT_FIELDS = ("name", "unit_price", "unit_cost", "active")  # what the product's history shows
CENT = Decimal("0.01")


class ProductError(ValueError):
    """A catalogue change that cannot be made, with the reason (English, for the CLI) and a code."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


def _figures(price, cost):
    try:
        return parse_money(price), parse_money(cost)
    except ValueError as exc:
        raise ProductError(f"invalid price or cost: {exc}", "figures") from exc


def _subject(sku: str) -> str:
    """Name a product in the audit log (its entries' `field`), so its history is one lookup."""
    return f"product:{sku}"


def create_product(sku: str, name: str, price, cost, *, actor=None, via: str = "system") -> Product:
    """Add a catalogue item and audit it; raise ProductError on a duplicate SKU or an invalid figure."""
    sku = (sku or "").strip().upper()
    if not sku or len(sku) > 32:
        raise ProductError("SKU must be 1..32 characters", "sku")
    if not (name or "").strip() or len(name.strip()) > 128:
        raise ProductError("name is required (at most 128 characters)", "name")
    if db.session.scalar(select(Product).where(Product.sku == sku)):
        raise ProductError(f"SKU {sku} already exists", "exists")
    unit_price, unit_cost = _figures(price, cost)
    product = Product(sku=sku, name=name.strip(), unit_price=unit_price, unit_cost=unit_cost, active=True)
    db.session.add(product)
    record("product_created", actor=actor, via=via, field=_subject(sku), new=_values(product))
    return product


def _values(product: Product, names=PRODUCT_FIELDS) -> dict:
    """Return the audited attributes of a product as text (money always with two decimals)."""
    values = {name: getattr(product, name) for name in names}
    return {name: as_text(v.quantize(CENT) if isinstance(v, Decimal) else v) for name, v in values.items()}


def update_product(sku: str, name: str, price, cost, active: bool, *, actor=None, via: str = "system",
                   may_price: bool = True) -> Product:
    """Change a catalogue item and audit what changed (one entry); lines already sold keep their prices.

    A change of price or cost needs `may_price` (the catalogue_price matrix action), else ProductError "price".
    """
    product = db.session.scalar(select(Product).where(Product.sku == (sku or "").strip().upper()))
    if product is None:
        raise ProductError(f"SKU {sku} does not exist", "missing")
    if not (name or "").strip() or len(name.strip()) > 128:
        raise ProductError("name is required (at most 128 characters)", "name")
    unit_price, unit_cost = _figures(price, cost)
    if not may_price and (unit_price, unit_cost) != (product.unit_price, product.unit_cost):
        raise ProductError("changing a price or cost needs the catalogue_price permission", "price")
    before = _values(product)
    product.unit_price, product.unit_cost = unit_price, unit_cost
    product.name, product.active = name.strip(), bool(active)
    changed = [k for k, v in _values(product).items() if v != before[k]]
    if changed:
        record("product_changed", actor=actor, via=via, field=_subject(product.sku),
               old={k: before[k] for k in changed}, new=_values(product, changed))
    return product


def product_history(sku: str, limit: int = 100) -> list[dict]:
    """Return a product's audited changes, newest first: when, who, through which path, old and new values."""
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.field == _subject(sku))
                                 .order_by(AuditEntry.id.desc()).limit(limit))
    return [{"at": e.at, "actor": e.actor, "via": e.via, "action": e.action,
             "old": json.loads(e.old) if e.old else {}, "new": json.loads(e.new) if e.new else {}}
            for e in entries]


def search_products(q: str, limit: int = 8, include_inactive: bool = False) -> list[Product]:
    """Find products whose SKU starts with q or whose name contains q, SKU order."""
    text = (q or "").strip()
    stmt = select(Product).order_by(Product.sku).limit(limit)
    if not include_inactive:
        stmt = stmt.where(Product.active.is_(True))
    if text:
        pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(or_(Product.sku.like(pattern.upper() + "%", escape="\\"),
                              Product.name.ilike("%" + pattern + "%", escape="\\")))
    return list(db.session.scalars(stmt))


def customer_for(phone_e164: str, name: str, address: str) -> Customer:
    """Return the customer with this normalised phone, creating one if new (safe when two race)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(Customer).values(phone=phone_e164, name=name, address=address,
                                                       created_at=utcnow())
                       .on_conflict_do_nothing(index_elements=["phone"]))
    return db.session.scalar(select(Customer).where(Customer.phone == phone_e164))
