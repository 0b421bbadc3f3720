"""Estimated arrival: the median transit days (hand-over → completed) of our own orders, most specific first.

Samples come from completed orders of the last HISTORY days: the same carrier company and region
if there are at least MIN_SAMPLES, else the same company, else every carrier, else DEFAULT_DAYS.
The estimate is the hand-over time plus that median, shown as a date in ORDERHUB_TZ.
"""
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from webapp.core.db import utcnow
from webapp.core.timefmt import fmt
from webapp.extensions import db
from webapp.orders.models import Order, OrderTransition

from webapp.carriers.tracking.adapters import company_of

HISTORY = timedelta(days=180)
MIN_SAMPLES = 5
DEFAULT_DAYS = 3.0
MAX_ROWS = 5000


@dataclass(frozen=True)
class Estimate:
    """An arrival estimate: the date, the median days it used, how many orders, and which group."""

    on: date
    days: float
    samples: int
    basis: str  # "carrier_region", "carrier", "all" or "default"


def history(now: datetime | None = None) -> list[tuple[str, str, int, float]]:
    """Return (company, region, order id, transit days) of recently completed orders."""
    now = now or utcnow()
    shipped, done = aliased(OrderTransition), aliased(OrderTransition)
    rows = db.session.execute(
        select(Order.carrier, Order.region, Order.id, shipped.at, done.at)
        .join(shipped, (shipped.order_id == Order.id) & (shipped.to_state == "in_transit"))
        .join(done, (done.order_id == Order.id) & (done.to_state == "completed"))
        .where(done.at >= now - HISTORY, Order.deleted_at.is_(None))
        .order_by(done.at.desc()).limit(MAX_ROWS))
    return [(company_of(carrier) or (carrier or ""), region or "", oid, (end - start).total_seconds() / 86400)
            for carrier, region, oid, start, end in rows if end >= start]


def median_days(samples, company: str, region: str, exclude: int | None = None) -> tuple[float, int, str]:
    """Return (median days, sample count, basis) for a company and region from history rows."""
    rows = [r for r in samples if r[2] != exclude]
    groups = (("carrier_region", [r[3] for r in rows if r[0] == company and r[1] == region]),
              ("carrier", [r[3] for r in rows if r[0] == company]),
              ("all", [r[3] for r in rows]))
    for basis, days in groups:
        if len(days) >= MIN_SAMPLES:
            return statistics.median(days), len(days), basis
    return DEFAULT_DAYS, 0, "default"


def estimate(order: Order, handed_at: datetime, samples=None) -> Estimate:
    """Estimate when an order handed over at handed_at arrives."""
    company = company_of(order.carrier) or (order.carrier or "")
    days, count, basis = median_days(history() if samples is None else samples, company, order.region or "",
                                     exclude=order.id)
    on = date.fromisoformat(fmt(handed_at + timedelta(days=days), "%Y-%m-%d"))
    return Estimate(on, round(days, 1), count, basis)
