"""Tables of the orders domain: customers, products, orders, order lines, numbering."""
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db

Money = Numeric(12, 2, asdecimal=True)


class Customer(db.Model):
    """A customer, deduplicated by normalised (E.164) phone number."""

    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    address: Mapped[str] = mapped_column(String(255), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Product(db.Model):
    """A catalogue item; order lines copy its price and cost at the time of sale."""

    __tablename__ = "products"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    unit_cost: Mapped[Decimal] = mapped_column(Money)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Order(db.Model):
    """An order; written only through webapp.orders.services (the one write path)."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_orders_channel_external_id"),
        Index("ix_orders_created_id", "created_at", "id"),
        Index("ix_orders_status_created", "status", "created_at", "id"),
        Index("ix_orders_region_status", "region", "status", "state_changed_at"),
        # Board keyset paging per scope and search by name (migration o3_board_indexes).
        Index("ix_orders_salesperson_created", "salesperson_id", "created_at", "id"),
        Index("ix_orders_region_created", "region", "created_at", "id"),
        Index("ix_orders_customer_name", "customer_name"),
        Index("ix_orders_updated_id", "updated_at", "id"),  # API keyset paging (migration w2_api_tokens)
        Index("ix_orders_status_updated_id", "status", "updated_at", "id"),  # API list filtered by state
        Index("ix_orders_region_updated_id", "region", "updated_at", "id"),  # … or by region
        Index("ix_orders_amount_id", "total_amount", "id"),  # the board sorted by amount (migration w4_ops)
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_no: Mapped[str] = mapped_column(String(20), unique=True)
    channel: Mapped[str] = mapped_column(String(16), default="web")
    external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), nullable=True, index=True)
    customer_name: Mapped[str] = mapped_column(String(64))
    customer_phone: Mapped[str] = mapped_column(String(20), index=True)
    address: Mapped[str] = mapped_column(String(255))
    region: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), nullable=True)
    salesperson_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(24), default="pending_payment")
    discount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    shipping_fee: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    # "customer" (fee added to the amount due) or "us" (fee only our cost); rows from before: "us" (issue 16)
    shipping_paid_by: Mapped[str] = mapped_column(String(8), default="us", server_default="us")
    total_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    cost_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    profit: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    carrier: Mapped[str | None] = mapped_column(String(32), nullable=True)
    tracking_no: Mapped[str | None] = mapped_column(String(64), nullable=True)
    outbound_at = mapped_column(UTCDateTime, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    state_changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    deleted_at = mapped_column(UTCDateTime, nullable=True)

    lines = relationship(
        "OrderLine",
        back_populates="order",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="OrderLine.position",
        lazy="selectin",
    )
    salesperson = relationship("User", lazy="joined")


class OrderLine(db.Model):
    """One line of an order: SKU, name, price and cost as sold, quantity."""

    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    sku: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(128))
    unit_price: Mapped[Decimal] = mapped_column(Money)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[Decimal] = mapped_column(Money)

    order = relationship(Order, back_populates="lines")


class OrderTransition(db.Model):
    """A step of an order's state machine: who moved it, when, with what evidence."""

    __tablename__ = "order_transitions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(24), nullable=True)
    to_state: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    via: Mapped[str] = mapped_column(String(16), default="web")
    reason: Mapped[str] = mapped_column(Text, default="")
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    actor = relationship("User", lazy="joined")


class OrderSequence(db.Model):
    """The last order number handed out per day (SO<day>-<n>)."""

    __tablename__ = "order_sequences"
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class OrderCount(db.Model):
    """Live (not deleted) orders per state, region, channel and salesperson, kept by the write service.

    The board's tab counts sum these rows instead of counting millions of orders. Missing region or
    salesperson is stored as "" / 0 so the key never holds NULL (upserts need a real key).
    """

    __tablename__ = "order_counts"
    status: Mapped[str] = mapped_column(String(24), primary_key=True)
    region: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    salesperson_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class OrderNote(db.Model):
    """One note on an order from the floor or the office: who wrote it, when, what; never rewritten."""

    __tablename__ = "order_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    via: Mapped[str] = mapped_column(String(16), default="web")
    text: Mapped[str] = mapped_column(Text)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    author = relationship("User", lazy="joined")


class CustomerLookupWindow(db.Model):
    """Customer look-ups one user made in one fixed minute (the per-user limit when no Redis is set)."""

    __tablename__ = "customer_lookup_windows"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
