"""The product catalogue and customers: add and change products, search SKUs, find customers by phone."""
from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite

from webapp.core.db import utcnow
from webapp.core.money import parse_money
from webapp.extensions import db
from webapp.orders.models import Customer, Product
from webapp.orders.phones import normalize_phone



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


def create_product(sku: str, name: str, price, cost) -> Product:
    """Add a catalogue item; raise ProductError on a duplicate SKU or an invalid figure."""
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
    return product


def update_product(sku: str, name: str, price, cost, active: bool) -> Product:
    """Change a catalogue item; lines already sold keep the price and cost they were sold at."""
    product = db.session.scalar(select(Product).where(Product.sku == (sku or "").strip().upper()))
    if product is None:
        raise ProductError(f"SKU {sku} does not exist", "missing")
    if not (name or "").strip() or len(name.strip()) > 128:
        raise ProductError("name is required (at most 128 characters)", "name")
    product.unit_price, product.unit_cost = _figures(price, cost)
    product.name, product.active = name.strip(), bool(active)
    return product


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


def find_customer(raw_phone: str) -> Customer | None:
    """Return the known customer with this phone number in any format, else None."""
    try:
        phone = normalize_phone(raw_phone)
    except ValueError:
        return None
    return db.session.scalar(select(Customer).where(Customer.phone == phone))


def customer_for(phone_e164: str, name: str, address: str) -> Customer:
    """Return the customer with this normalised phone, creating one if new (safe when two race)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(Customer).values(phone=phone_e164, name=name, address=address,
                                                       created_at=utcnow())
                       .on_conflict_do_nothing(index_elements=["phone"]))
    return db.session.scalar(select(Customer).where(Customer.phone == phone_e164))
