"""Compute, store and filter the daily report for one local day (ORDERHUB_TZ).

Definitions (the page says them too):
- in / out per state: steps into / out of that state during the day (a new order steps "into" its first state);
- confirmed → outbound: for each step to outbound that day, the time since that order's last step to
  confirmed; median (mean of the middle two for an even count) and p90 by nearest rank (ceil(0.9 n));
- overdue: orders whose last step before midnight left them in a non-final state for more than
  OVERDUE_HOURS at midnight;
- new / revenue / profit: orders created that day and not cancelled; revenue is their total_amount;
- KPIs (webapp.dashboard.report_kpis, plugged in with use_kpis): created → outbound / completed, wrong-shipment rate, inquiries, tracking
  views, refunds, approvals waiting and time to approve, from the dashboard's recorded facts.
"""
import json
import math
import statistics
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from webapp.audit import anchors
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders.models import Order, OrderTransition
from webapp.reports.models import DailyReport
from webapp.vocab import OPEN_STATES, STATES, overdue_cutoff

REGIONS = ("east", "north", "south", "central", "southwest", "northwest", "northeast")
_kpis: dict = {"build": None}  # the day's KPIs from the dashboard's recorded facts (the dashboard reads this module)


def use_kpis(build) -> None:
    """Take the function (day, end) -> KPIs that the report shows; the dashboard plugs it in at start-up."""
    _kpis["build"] = build


def window(day: date) -> tuple[datetime, datetime]:
    """Return the UTC start and end of a local day."""
    zone = ZoneInfo(current_app.config["ORDERHUB_TZ"])
    start = datetime.combine(day, time(0), zone)
    return start.astimezone(ZoneInfo("UTC")), (start + timedelta(days=1)).astimezone(ZoneInfo("UTC"))


def today(now: datetime | None = None) -> date:
    """Return the local date `now` (default: the current time) falls on."""
    return (now or utcnow()).astimezone(ZoneInfo(current_app.config["ORDERHUB_TZ"])).date()


def yesterday(now: datetime | None = None) -> date:
    """Return the local date before the one `now` falls on."""
    local = (now or utcnow()).astimezone(ZoneInfo(current_app.config["ORDERHUB_TZ"]))
    return local.date() - timedelta(days=1)


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share 0..1) of values; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def _hours(values: list[float]) -> dict:
    return {"count": len(values),
            "median_hours": round(statistics.median(values) / 3600, 2) if values else None,
            "p90_hours": round(percentile(values, 0.9) / 3600, 2) if values else None}


def _steps(start: datetime, end: datetime) -> list:
    return db.session.execute(
        select(OrderTransition.order_id, OrderTransition.from_state, OrderTransition.to_state,
               OrderTransition.at, Order.region)
        .join(Order, Order.id == OrderTransition.order_id)
        .where(OrderTransition.at >= start, OrderTransition.at < end)).all()


def _confirm_to_outbound(steps) -> dict:
    """Return region → list of seconds from the last confirmation to the outbound step."""
    outbound = [(s.order_id, s.at, s.region) for s in steps if s.to_state == "outbound"]
    if not outbound:
        return {}
    confirmed = defaultdict(list)
    for order_id, at in db.session.execute(
            select(OrderTransition.order_id, OrderTransition.at).where(
                OrderTransition.to_state == "confirmed",
                OrderTransition.order_id.in_({o for o, _, _ in outbound}))):
        confirmed[order_id].append(at)
    found = defaultdict(list)
    for order_id, at, region in outbound:
        before = [c for c in confirmed[order_id] if c <= at]
        if before:
            found[region].append((at - max(before)).total_seconds())
    return found


def _overdue(end: datetime) -> dict:
    """Return region → number of orders overdue at `end`."""
    cutoff = overdue_cutoff(end, current_app.config["OVERDUE_HOURS"])
    last = (select(OrderTransition.order_id, func.max(OrderTransition.at).label("at"))
            .where(OrderTransition.at < end).group_by(OrderTransition.order_id).subquery())
    rows = db.session.execute(
        select(Order.region, OrderTransition.to_state, last.c.at)
        .join(last, last.c.order_id == Order.id)
        .join(OrderTransition, (OrderTransition.order_id == last.c.order_id) & (OrderTransition.at == last.c.at))
        .where(Order.deleted_at.is_(None))).all()
    counts = defaultdict(int)
    for region, state, at in rows:
        if state in OPEN_STATES and at < cutoff:
            counts[region] += 1
    return counts


def _new_orders(start: datetime, end: datetime) -> list:
    return db.session.execute(
        select(Order.region, Order.total_amount, Order.profit, Order.salesperson_id)
        .where(Order.created_at >= start, Order.created_at < end, Order.status != "cancelled",
               Order.deleted_at.is_(None))).all()


def _region_rows(steps, durations, overdue, new) -> dict:
    rows = {}
    for region in REGIONS + (None,):
        mine = [n for n in new if n.region == region]
        row = {"new": len(mine), "outbound": sum(1 for s in steps if s.to_state == "outbound" and s.region == region),
               "overdue": overdue.get(region, 0), **_hours(durations.get(region, [])),
               "revenue": str(sum((n.total_amount for n in mine), Decimal("0.00"))),
               "profit": str(sum((n.profit for n in mine), Decimal("0.00")))}
        if region is not None or any(row[k] for k in ("new", "outbound", "overdue")):
            rows[region or "none"] = row
    return rows


def _salespeople(new) -> list:
    from webapp.auth.models import User
    per = defaultdict(lambda: {"new": 0, "revenue": Decimal("0.00"), "profit": Decimal("0.00")})
    for n in new:
        row = per[n.salesperson_id]
        row["new"] += 1
        row["revenue"] += n.total_amount
        row["profit"] += n.profit
    names = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_([k for k in per if k]))).all())
    return sorted(({"name": names.get(uid, "—"), "new": r["new"], "revenue": str(r["revenue"]),
                    "profit": str(r["profit"])} for uid, r in per.items()), key=lambda r: (-r["new"], r["name"]))


def build(day: date) -> dict:
    """Compute the report of a local day from the orders and their steps."""
    start, end = window(day)
    steps = _steps(start, end)
    states = {s: {"in": 0, "out": 0} for s in STATES}
    for s in steps:
        states[s.to_state]["in"] += 1
        if s.from_state:
            states[s.from_state]["out"] += 1
    durations, overdue, new = _confirm_to_outbound(steps), _overdue(end), _new_orders(start, end)
    regions = _region_rows(steps, durations, overdue, new)
    total = {"new": len(new), "outbound": states["outbound"]["in"], "overdue": sum(overdue.values()),
             **_hours([d for ds in durations.values() for d in ds]),
             "revenue": str(sum((n.total_amount for n in new), Decimal("0.00"))),
             "profit": str(sum((n.profit for n in new), Decimal("0.00")))}
    return {"day": day.isoformat(), "tz": current_app.config["ORDERHUB_TZ"],
            "overdue_hours": current_app.config["OVERDUE_HOURS"], "states": states,
            "regions": regions, "total": total, "salespeople": _salespeople(new),
            "kpis": _kpis["build"](day, end) if _kpis["build"] else {}}


def store(day: date, only_if_missing: bool = False) -> bool:
    """Compute and save a day's report (replacing it unless only_if_missing); True when written."""
    if only_if_missing and db.session.get(DailyReport, day.isoformat()) is not None:
        db.session.rollback()  # end the read: SQLite holds the write lock of a worker's transaction
        return False
    report = build(day)
    report["audit_checkpoint"] = anchors.write_checkpoint()  # a signed copy of the audit head, outside the log
    data = json.dumps(report, ensure_ascii=False, sort_keys=True)
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(DailyReport).values(day=day.isoformat(), data=data, generated_at=utcnow())
    db.session.execute(stmt.on_conflict_do_update(index_elements=["day"],
                                                  set_={"data": data, "generated_at": utcnow()}))
    db.session.commit()
    return True


def load(day: date) -> tuple[dict, datetime | None]:
    """Return the stored report of a day (and when it was made), else compute it now (not stored)."""
    row = db.session.get(DailyReport, day.isoformat())
    if row is not None:
        return json.loads(row.data), row.generated_at
    return build(day), None


def visible(report: dict, policy) -> dict:
    """Drop revenue and profit unless the viewer's policy may read total_amount / profit."""
    hide = [k for k, field in (("revenue", "total_amount"), ("profit", "profit")) if not policy.can_read(field)]
    hide_refunds = not policy.can_read("refund_amount")
    if not hide and not hide_refunds:
        return report
    out = json.loads(json.dumps(report))
    for row in [out["total"], *out["regions"].values(), *out["salespeople"]]:
        for key in hide:
            row.pop(key, None)
    if hide_refunds:
        out.get("kpis", {}).pop("refunds", None)
    return out


def may_view(policy) -> bool:
    """Say whether a user may see the report: the reports action, and scope all (it covers every order)."""
    return policy.can("reports") and policy.scope == "all"
