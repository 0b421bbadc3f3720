"""Tables of the dashboard: recorded facts kept per local day, region and channel (issue 15)."""
from decimal import Decimal

from sqlalchemy import Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.orders.models import OrderTransition
from webapp.tracking.models import TrackingView  # noqa: F401  (read by the facts; kept by the tracking page)

Money = Numeric(12, 2, asdecimal=True)

# The day's steps are found by time; the order_transitions table had only an order_id index.
Index("ix_order_transitions_at", OrderTransition.at)


class DashboardDay(db.Model):
    """One local day's facts for one region and channel ("" when an order has none).

    `durations` is a JSON list of seconds from an order's last step to confirmed to its step to
    outbound that day, so medians over a range are exact; money is for orders created that day and
    not cancelled;
    cases and inquiries count on the day they were opened / recorded, by their order's region and channel.
    """

    __tablename__ = "dashboard_days"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD in ORDERHUB_TZ
    region: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    orders_in: Mapped[int] = mapped_column(Integer, default=0)
    shipped: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)
    revenue: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    cost: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    profit: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    wrong_cases: Mapped[int] = mapped_column(Integer, default=0)  # wrong / missing / damaged cases opened
    refunds: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))  # refunded that day
    inquiries: Mapped[int] = mapped_column(Integer, default=0)
    wism: Mapped[int] = mapped_column(Integer, default=0)  # of which "where is my order"
    durations: Mapped[str] = mapped_column(Text, default="[]")
    views: Mapped[int] = mapped_column(Integer, default=0)  # customers' views of the tracking page
    # JSON lists of seconds, like `durations`: created → step to outbound / to completed taken that day,
    # and approval request → final decision (approved or rejected) made that day
    ship_durations: Mapped[str] = mapped_column(Text, default="[]")
    done_durations: Mapped[str] = mapped_column(Text, default="[]")
    approve_durations: Mapped[str] = mapped_column(Text, default="[]")
    generated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class DashboardOverdue(db.Model):
    """Overdue orders per region ("" for none) and state, as of generated_at (refreshed with today's facts)."""

    __tablename__ = "dashboard_overdue"
    region: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(24), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    generated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
