"""The orders domain's rules: money, customers, products and creating orders.

Every write to an order goes through this module (see STYLE.md, "one write path").
"""
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from webapp.core.db import utcnow
from webapp.core.money import parse_money, to_money
from webapp.extensions import db
from webapp.orders.models import Customer, Order, OrderLine, OrderTransition, Product
from webapp.orders.numbering import next_order_no
from webapp.orders.regions import region_of


class ProductError(ValueError):
    """A catalogue change that cannot be made, with the reason."""


@dataclass(frozen=True)
class Totals:
    """An order's money figures, all exact to the fen."""

    goods: Decimal
    total_amount: Decimal
    cost_total: Decimal
    profit: Decimal


def compute_totals(lines, discount, shipping_fee) -> Totals:
    """Compute goods, amount due, cost and profit from lines (dicts or OrderLine rows)."""
    def get(line, key):
        return line[key] if isinstance(line, dict) else getattr(line, key)

    goods = sum((Decimal(get(ln, "unit_price")) * int(get(ln, "quantity")) for ln in lines), Decimal(0))
    cost = sum((Decimal(get(ln, "unit_cost")) * int(get(ln, "quantity")) for ln in lines), Decimal(0))
    total = to_money(goods - Decimal(discount or 0))
    cost_total = to_money(cost + Decimal(shipping_fee or 0))
    return Totals(to_money(goods), total, cost_total, to_money(total - cost_total))


def create_product(sku: str, name: str, price, cost) -> Product:
    """Add a catalogue item; raise ProductError on a duplicate SKU or an invalid figure."""
    sku = sku.strip().upper()
    if not sku or len(sku) > 32:
        raise ProductError("SKU must be 1..32 characters")
    if not name.strip():
        raise ProductError("name is required")
    if db.session.scalar(select(Product).where(Product.sku == sku)):
        raise ProductError(f"SKU {sku} already exists")
    try:
        unit_price, unit_cost = parse_money(price), parse_money(cost)
    except ValueError as exc:
        raise ProductError(f"invalid price or cost: {exc}") from exc
    product = Product(sku=sku, name=name.strip(), unit_price=unit_price, unit_cost=unit_cost)
    db.session.add(product)
    return product


def customer_for(phone_e164: str, name: str, address: str) -> Customer:
    """Return the customer with this normalised phone, creating one if new."""
    customer = db.session.scalar(select(Customer).where(Customer.phone == phone_e164))
    if customer is None:
        customer = Customer(phone=phone_e164, name=name, address=address)
        db.session.add(customer)
        db.session.flush()
    return customer


def create_order(data: dict, lines: list[dict], actor, via: str = "web", *,
                 status: str = "pending_payment", at=None) -> Order:
    """Create an order from validated data and lines; totals are computed, never taken as typed."""
    now = at or utcnow()
    totals = compute_totals(lines, data.get("discount", 0), data.get("shipping_fee", 0))
    customer = customer_for(data["customer_phone"], data["customer_name"], data["address"])
    order = Order(
        order_no=next_order_no(now, current_app.config["ORDERHUB_TZ"]),
        channel=data.get("channel") or "web", external_id=data.get("external_id"),
        customer_id=customer.id, customer_name=data["customer_name"],
        customer_phone=data["customer_phone"], address=data["address"],
        region=data.get("region") or region_of(data["address"]),
        salesperson_id=data.get("salesperson_id", getattr(actor, "id", None)),
        status=status, discount=to_money(data.get("discount", 0)),
        shipping_fee=to_money(data.get("shipping_fee", 0)), total_amount=totals.total_amount,
        cost_total=totals.cost_total, profit=totals.profit, notes=data.get("notes", ""),
        carrier=data.get("carrier"), tracking_no=data.get("tracking_no"),
        outbound_at=data.get("outbound_at"),
        created_at=now, updated_at=now, state_changed_at=now,
        lines=[OrderLine(position=i, **{k: ln[k] for k in ("sku", "name", "unit_price", "quantity", "unit_cost")})
               for i, ln in enumerate(lines)],
    )
    db.session.add(order)
    db.session.flush()
    db.session.add(OrderTransition(order_id=order.id, from_state=None, to_state=status,
                                   actor_id=getattr(actor, "id", None), via=via, at=now))
    return order
