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
from webapp.approvals.models import ApprovalRequest
from webapp.dashboard.models import DashboardDay, DashboardOverdue
from webapp.tracking.models import TrackingView
from webapp.extensions import db
from webapp.orders.models import Order, OrderTransition
from webapp.orders.queries import overdue_cutoff
from webapp.reports.services import window
from webapp.vocab import OPEN_STATES, WRONG_SHIPMENT_KINDS

ZERO = Decimal("0.00")
TODAY_MAX_AGE = timedelta(minutes=5)  # the worker refreshes today every 5 minutes too
COUNTED_STEPS = {"outbound": "shipped", "completed": "completed", "cancelled": "cancelled"}
FROM_CREATED = {"outbound": "ship_durations", "completed": "done_durations"}  # created → that step
LISTS = ("durations", "ship_durations", "done_durations", "approve_durations")
DECIDED = ("approved", "rejected")  # an approval request's final decisions (superseded ones restarted)


def _blank() -> dict:
    return {"orders_in": 0, "shipped": 0, "completed": 0, "cancelled": 0, "revenue": ZERO, "cost": ZERO,
            "profit": ZERO, "wrong_cases": 0, "refunds": ZERO, "inquiries": 0, "wism": 0, "views": 0,
            **{name: [] for name in LISTS}}


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
        select(OrderTransition.order_id, OrderTransition.to_state, OrderTransition.at, Order.region, Order.channel,
               Order.created_at)
        .join(Order, Order.id == OrderTransition.order_id)
        .where(OrderTransition.at >= start, OrderTransition.at < end, Order.deleted_at.is_(None),
               OrderTransition.to_state.in_(COUNTED_STEPS))).all()
    for _id, to_state, at, region, channel, created in rows:
        row = facts[(region or "", channel)]
        row[COUNTED_STEPS[to_state]] += 1
        if to_state in FROM_CREATED:
            row[FROM_CREATED[to_state]].append(max(int((at - created).total_seconds()), 0))
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


def _tracking_and_approvals(start, end, facts) -> None:
    """Count customers' tracking-page views, and time each approval request finally decided in the day."""
    for region, channel, n in db.session.execute(
            select(Order.region, Order.channel, func.count()).join(TrackingView, TrackingView.order_id == Order.id)
            .where(TrackingView.at >= start, TrackingView.at < end).group_by(Order.region, Order.channel)):
        facts[(region or "", channel)]["views"] += n
    for region, channel, opened, closed in db.session.execute(
            select(Order.region, Order.channel, ApprovalRequest.created_at, ApprovalRequest.closed_at)
            .join(Order, Order.id == ApprovalRequest.order_id)
            .where(ApprovalRequest.closed_at >= start, ApprovalRequest.closed_at < end,
                   ApprovalRequest.status.in_(DECIDED), Order.deleted_at.is_(None))):
        facts[(region or "", channel)]["approve_durations"].append(max(int((closed - opened).total_seconds()), 0))


def build(day: date) -> dict:
    """Return {(region, channel): facts} of one local day, computed from the recorded rows."""
    start, end = window(day)
    facts = defaultdict(_blank)
    _created(start, end, facts)
    _steps(start, end, facts)
    _aftersales(start, end, facts)
    _tracking_and_approvals(start, end, facts)
    return dict(facts)


def store(day: date) -> int:
    """Recompute and replace one day's rows; return how many rows were written (committed)."""
    facts = build(day)
    key, now = day.isoformat(), utcnow()
    db.session.execute(delete(DashboardDay).where(DashboardDay.day == key))
    db.session.add_all(DashboardDay(day=key, region=region, channel=channel, generated_at=now,
                                    **(row | {name: json.dumps(sorted(row[name])) for name in LISTS}))
                       for (region, channel), row in facts.items())
    if not facts:  # an empty day still gets a row, so it is known to be computed
        db.session.add(DashboardDay(day=key, region="", channel="", generated_at=now,
                                    **_blank() | {name: "[]" for name in LISTS}))
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


def day_stamps(first: date, last: date) -> dict:
    """Return {day: (rows, oldest generated_at, newest generated_at)} of the stored days in [first, last]: one query
    that tells which days are missing, whether today is stale, and (the dashboard's cache key) whether any changed."""
    rows = db.session.execute(
        select(DashboardDay.day, func.count(), func.min(DashboardDay.generated_at), func.max(DashboardDay.generated_at))
        .where(DashboardDay.day >= first.isoformat(), DashboardDay.day <= last.isoformat()).group_by(DashboardDay.day))
    return {day: (n, oldest, newest) for day, n, oldest, newest in rows}


def fill(first: date, last: date, today: date, max_age: timedelta = TODAY_MAX_AGE, stamps: dict | None = None) -> int:
    """Compute every missing day in [first, last], and today when older than max_age; return days written.

    `stamps` (day_stamps() of a range holding [first, last]) saves the two look-ups when the caller has them."""
    if stamps is None:
        have, stale = stored_days(first, last), lambda day: _stale(day, max_age)
    else:
        have = stamps
        stale = lambda day: stamps[day.isoformat()][1] is None or utcnow() - stamps[day.isoformat()][1] > max_age  # noqa: E731
    written, day = 0, first
    while day <= last:
        if day.isoformat() not in have or (day == today and stale(day)):
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
    query = select(DashboardOverdue.region, DashboardOverdue.status, DashboardOverdue.n, DashboardOverdue.generated_at)
    rows = db.session.execute(query).all()  # a few dozen rows: one read gives both the counts and their age
    made = min((row[3] for row in rows), default=None)
    if made is None or utcnow() - made > max_age:
        try:
            store_overdue()
        except IntegrityError:  # made by another worker at the same moment: read theirs
            db.session.rollback()
        rows = db.session.execute(query).all()
    return [(region, status, n) for region, status, n, _at in rows if status != ""]
