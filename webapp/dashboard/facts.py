"""Keep the per-day facts: recompute one local day from orders and their steps, and store it.

A day's rows are replaced as a whole (delete + insert in one transaction), so recomputing is
idempotent; the worker refreshes today every few minutes and fills missing past days.
"""
import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from webapp.core.db import utcnow
from webapp.aftersales.models import AftersalesCase, Inquiry
from webapp.dashboard.models import DashboardDay, DashboardOverdue
from webapp.extensions import db
from webapp.orders.models import Order, OrderTransition
from webapp.orders.queries import overdue_cutoff
from webapp.reports.services import window
from webapp.vocab import OPEN_STATES, WRONG_SHIPMENT_KINDS

ZERO = Decimal("0.00")
TODAY_MAX_AGE = timedelta(minutes=5)  # the worker refreshes today every 5 minutes too
COUNTED_STEPS = {"outbound": "shipped", "completed": "completed", "cancelled": "cancelled"}


def _blank() -> dict:
    return {"orders_in": 0, "shipped": 0, "completed": 0, "cancelled": 0, "revenue": ZERO, "cost": ZERO,
            "profit": ZERO, "wrong_cases": 0, "refunds": ZERO, "inquiries": 0, "wism": 0, "durations": []}


def _created(start, end, facts) -> None:
    rows = db.session.execute(
        select(Order.region, Order.channel, Order.status, Order.total_amount, Order.cost_total, Order.profit)
        .where(Order.created_at >= start, Order.created_at < end, Order.deleted_at.is_(None)))
    for region, channel, status, total, cost, profit in rows:
        row = facts[(region or "", channel)]
        row["orders_in"] += 1
        if status != "cancelled":
            row["revenue"] += total
            row["cost"] += cost
            row["profit"] += profit


def _steps(start, end, facts) -> None:
    rows = db.session.execute(
        select(OrderTransition.order_id, OrderTransition.to_state, OrderTransition.at, Order.region, Order.channel)
        .join(Order, Order.id == OrderTransition.order_id)
        .where(OrderTransition.at >= start, OrderTransition.at < end, Order.deleted_at.is_(None),
               OrderTransition.to_state.in_(COUNTED_STEPS))).all()
    for _id, to_state, _at, region, channel in rows:
        facts[(region or "", channel)][COUNTED_STEPS[to_state]] += 1
    outbound = [(r.order_id, r.at, r.region or "", r.channel) for r in rows if r.to_state == "outbound"]
    confirmed = defaultdict(list)
    ids = sorted({o for o, *_ in outbound})
    for chunk in range(0, len(ids), 500):
        for order_id, at in db.session.execute(
                select(OrderTransition.order_id, OrderTransition.at).where(
                    OrderTransition.to_state == "confirmed", OrderTransition.order_id.in_(ids[chunk:chunk + 500]))):
            confirmed[order_id].append(at)
    for order_id, at, region, channel in outbound:
        before = [c for c in confirmed[order_id] if c <= at]
        if before:
            facts[(region, channel)]["durations"].append(int((at - max(before)).total_seconds()))


def _aftersales(start, end, facts) -> None:
    """Count wrong / missing / damaged cases opened, refunds paid and inquiries recorded in the day."""
    for region, channel in db.session.execute(
            select(Order.region, Order.channel).join(AftersalesCase, AftersalesCase.order_id == Order.id)
            .where(AftersalesCase.created_at >= start, AftersalesCase.created_at < end,
                   AftersalesCase.kind.in_(WRONG_SHIPMENT_KINDS))):
        facts[(region or "", channel)]["wrong_cases"] += 1
    for region, channel, amount in db.session.execute(
            select(Order.region, Order.channel, AftersalesCase.refund_amount).join(Order, Order.id == AftersalesCase.order_id)
            .where(AftersalesCase.refunded_at >= start, AftersalesCase.refunded_at < end)):
        facts[(region or "", channel)]["refunds"] += amount
    for region, channel, reason in db.session.execute(
            select(Order.region, Order.channel, Inquiry.reason).join(Order, Order.id == Inquiry.order_id)
            .where(Inquiry.created_at >= start, Inquiry.created_at < end)):
        row = facts[(region or "", channel)]
        row["inquiries"] += 1
        row["wism"] += reason == "where_is_my_order"


def build(day: date) -> dict:
    """Return {(region, channel): facts} of one local day, computed from the recorded rows."""
    start, end = window(day)
    facts = defaultdict(_blank)
    _created(start, end, facts)
    _steps(start, end, facts)
    _aftersales(start, end, facts)
    return dict(facts)


def store(day: date) -> int:
    """Recompute and replace one day's rows; return how many rows were written (committed)."""
    facts = build(day)
    key, now = day.isoformat(), utcnow()
    db.session.execute(delete(DashboardDay).where(DashboardDay.day == key))
    db.session.add_all(DashboardDay(day=key, region=region, channel=channel, generated_at=now,
                                    **(row | {"durations": json.dumps(sorted(row["durations"]))}))
                       for (region, channel), row in facts.items())
    if not facts:  # an empty day still gets a row, so it is known to be computed
        db.session.add(DashboardDay(day=key, region="", channel="", generated_at=now, **_blank() | {"durations": "[]"}))
    db.session.commit()
    return max(len(facts), 1)


def stored_days(first: date, last: date) -> set[str]:
    """Return which days between first and last (inclusive) already have rows."""
    rows = db.session.scalars(select(DashboardDay.day).where(
        DashboardDay.day >= first.isoformat(), DashboardDay.day <= last.isoformat()).distinct())
    return set(rows)


def _stale(day: date, max_age: timedelta) -> bool:
    made = db.session.scalar(select(func.min(DashboardDay.generated_at)).where(DashboardDay.day == day.isoformat()))
    return made is None or utcnow() - made > max_age


def fill(first: date, last: date, today: date, max_age: timedelta = TODAY_MAX_AGE) -> int:
    """Compute every missing day in [first, last], and today when older than max_age; return days written."""
    have, written, day = stored_days(first, last), 0, first
    while day <= last:
        if day.isoformat() not in have or (day == today and _stale(day, max_age)):
            try:
                store(day)
            except IntegrityError:  # another worker or request stored the same day at the same time
                db.session.rollback()
            written += 1
        day += timedelta(days=1)
    return written


def store_overdue() -> None:
    """Replace the overdue snapshot (per region and state) with a count made now; commits."""
    rows = db.session.execute(
        select(Order.region, Order.status, func.count()).where(
            Order.status.in_(OPEN_STATES), Order.state_changed_at < overdue_cutoff(), Order.deleted_at.is_(None))
        .group_by(Order.region, Order.status)).all()
    now = utcnow()
    db.session.execute(delete(DashboardOverdue))
    db.session.add_all(DashboardOverdue(region=region or "", status=status, n=n, generated_at=now)
                       for region, status, n in rows)
    db.session.add(DashboardOverdue(region="", status="", n=0, generated_at=now))  # marks when it was made
    db.session.commit()


def overdue_snapshot(max_age: timedelta = TODAY_MAX_AGE) -> list:
    """Return the overdue snapshot's (region, status, n) rows, counting again when older than max_age."""
    made = db.session.scalar(select(func.min(DashboardOverdue.generated_at)))
    if made is None or utcnow() - made > max_age:
        try:
            store_overdue()
        except IntegrityError:  # made by another worker at the same moment: read theirs
            db.session.rollback()
    return db.session.execute(select(DashboardOverdue.region, DashboardOverdue.status, DashboardOverdue.n)
                              .where(DashboardOverdue.status != "")).all()
