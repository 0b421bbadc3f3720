"""Read the dashboard: a range of stored days (O(days)) plus a few live counts, filtered by the policy.

Definitions (the page says them too):
- orders in: orders created in the range (not deleted); shipped / completed / cancelled: steps into
  outbound / completed / cancelled taken in the range;
- processing time: for each step to outbound in the range, hours since that order's last step to
  confirmed; median (mean of the middle two for an even count) and P90 by nearest rank;
- overdue now: open orders whose last step is older than OVERDUE_HOURS;
- revenue, cost, profit: orders created in the range and not cancelled; margin = profit / revenue;
- wrong-shipment rate: wrong item / missing item / damaged cases opened in the range per order shipped
  in the range; refunds: amounts of cases refunded in the range; inquiries: recorded in the range.
- created → outbound / created → completed: for each step to outbound / completed in the range, hours
  since the order was created (median, P90 as above);
- tracking views: customers' views of the tracking page in the range (staff previews are not recorded);
  inquiries and views per order: divided by the orders shipped in the range;
- time to approve: for each approval request finally decided (approved or rejected) in the range, hours
  from the request to that decision.
"""
import json
import statistics
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from webapp.core.money import yuan
from webapp.core.periods import MAX_DAYS, BadRange, Period, parse_range, today  # noqa: F401  (the dashboard's names)
from webapp.dashboard import facts
from webapp.dashboard.models import DashboardDay
from webapp.extensions import db
from webapp.orders.models import OrderCount
from webapp.orders.queries import BoardQuery, overdue_count
from webapp.reports.services import percentile
from webapp.vocab import STATES

RANGES = (1, 7, 30, 90)
WEEKLY_FROM = 31  # longer ranges chart and list weeks, not days (a page of 90 rows costs more than it tells)
COUNTS = ("orders_in", "shipped", "completed", "cancelled", "wrong_cases", "inquiries", "wism", "views")
MONEY = {"revenue": "total_amount", "cost": "cost_total", "profit": "profit", "refunds": "refund_amount"}  # field needed
LISTS = {"durations": "", "ship_durations": "ship_", "done_durations": "done_", "approve_durations": "approve_"}


def may_view(policy) -> bool:
    """Say whether a user may see the dashboard: the dashboard action, and scope all (figures cover every order)."""
    return policy.can("dashboard") and policy.scope == "all"


def hours(durations: list[int], prefix: str = "") -> dict:
    """Return the median and P90 of durations (seconds) in hours, None when there are none."""
    if not durations:
        return {f"{prefix}median_hours": None, f"{prefix}p90_hours": None, f"{prefix}n": 0}
    return {f"{prefix}median_hours": round(statistics.median(durations) / 3600, 1),
            f"{prefix}p90_hours": round(percentile(durations, 0.9) / 3600, 1), f"{prefix}n": len(durations)}


def _per(n: int, shipped: int):
    return round(n / shipped, 2) if shipped else None


def _summary(rows) -> dict:
    out = {k: 0 for k in COUNTS} | {k: Decimal("0.00") for k in MONEY}
    lists = {name: [] for name in LISTS}
    for row in rows:
        for key in (*COUNTS, *MONEY):
            out[key] += row[key]
        for name in LISTS:
            lists[name] += row[name]
    for name, prefix in LISTS.items():
        out |= hours(lists[name], prefix)
    out["margin"] = round(out["profit"] / out["revenue"] * 100, 1) if out["revenue"] else None
    out["wrong_rate"] = round(out["wrong_cases"] / out["shipped"] * 100, 2) if out["shipped"] else None
    out["inquiries_per_order"] = _per(out["inquiries"], out["shipped"])
    out["views_per_order"] = _per(out["views"], out["shipped"])
    return out


FIELDS = ("day", "region", "channel", *COUNTS, *MONEY, *LISTS)


def _rows(period: Period) -> list[dict]:
    """Return the period's stored rows as plain dicts (duration lists parsed once): no ORM objects."""
    found = db.session.execute(select(*(getattr(DashboardDay, f) for f in FIELDS)).where(
        DashboardDay.day >= period.first.isoformat(), DashboardDay.day <= period.last.isoformat(),
        DashboardDay.channel != ""))  # channel "" only marks a day with nothing in it as computed
    plain = len(FIELDS) - len(LISTS)
    return [dict(zip(FIELDS[:plain], row[:plain])) | {name: json.loads(text) if text != "[]" else []
                                                      for name, text in zip(LISTS, row[plain:])} for row in found]


def _week(day: str, first: date) -> str:
    """Return the first day of the 7-day block (counted from the range's first day) that `day` falls in."""
    offset = (date.fromisoformat(day) - first).days
    return (first + timedelta(days=offset - offset % 7)).isoformat()


def kpis(period: Period) -> dict:
    """Return the period's figures: totals, per region, per channel, per day, and the previous period's totals.

    Summing thousands of stored rows costs far more than reading them, so each process keeps the result
    for a range until any of its rows changes (the worker rewrites today every few minutes): a cheap
    count-and-newest query over the range's primary key says whether the kept result still holds."""
    now = today()
    prev = period.previous()
    stamps = facts.day_stamps(prev.first, period.last)
    if facts.fill(prev.first, min(period.last, now), now, stamps=stamps):
        stamps = facts.day_stamps(prev.first, period.last)
    stamp = (str(db.engine.url), period.first, period.last, sum(n for n, _old, _new in stamps.values()),
             max((new for _n, _old, new in stamps.values()), default=None))
    kept = _KEPT.get(stamp[:3])
    if kept is None or kept[0] != stamp:
        rows, before = _rows(period), _rows(prev)
        if period.days >= WEEKLY_FROM:
            rows = [row | {"day": _week(row["day"], period.first)} for row in rows]
        group = lambda key: {k: _summary(v) for k, v in sorted(_grouped(rows, key).items())}  # noqa: E731
        days = group("day")
        for start, row in days.items():  # the last day each row covers (its board link's `to`)
            row["until"] = min(date.fromisoformat(start) + timedelta(days=6), period.last).isoformat() \
                if period.days >= WEEKLY_FROM else start
        kept = (stamp, {"total": _summary(rows), "previous": _summary(before), "regions": group("region"),
                        "channels": group("channel"), "days": days, "weekly": period.days >= WEEKLY_FROM})
        if len(_KEPT) >= 32:
            _KEPT.pop(next(iter(_KEPT)))
        _KEPT[stamp[:3]] = kept
    figures = kept[1]  # visible() drops keys from what it is given: hand out copies of the rows
    return {"total": dict(figures["total"]), "previous": dict(figures["previous"]), "weekly": figures["weekly"],
            **{k: {key: dict(row) for key, row in figures[k].items()} for k in ("regions", "channels", "days")}}


_KEPT: dict = {}  # (database, first, last) → (stamp, figures)


def _grouped(rows, key: str) -> dict:
    out = defaultdict(list)
    for row in rows:
        out[row[key]].append(row)
    return out


def live(policy) -> dict:
    """Return the figures of now: orders per state, approvals waiting, overdue per region and state (a snapshot
    at most 5 minutes old: counting every old open order on each view would be O(orders))."""
    counts = dict(db.session.execute(select(OrderCount.status, func.sum(OrderCount.n)).group_by(OrderCount.status)).all())
    states = {s: int(counts.get(s) or 0) for s in STATES}
    overdue = facts.overdue_snapshot()
    by_region, by_state = defaultdict(int), defaultdict(int)
    for region, status, n in overdue:
        by_region[region or ""] += n
        by_state[status] += n
    return {"states": states, "overdue": sum(by_region.values()), "overdue_regions": dict(by_region),
            "overdue_states": dict(by_state), "approvals_waiting": states["awaiting_approval"]}


def dash(value):
    """Return the value, or "—" for a figure that has no data (a template filter: cheaper than a macro)."""
    return "—" if value is None else value


def yuan_or_dash(value) -> str:
    """Return money as yuan, or "—" when there is none (a template filter)."""
    return "—" if value is None else yuan(value)


def board_overdue_count() -> int:
    """Return how many overdue orders the logged-in user's board lists (up to the board's cap)."""
    from flask_login import current_user
    return overdue_count(BoardQuery(), current_user)


def visible(figures: dict, policy) -> dict:
    """Drop money figures the viewer may not read (margin needs both revenue and profit)."""
    hide = {k for k, field in MONEY.items() if not policy.can_read(field)}
    if hide & {"revenue", "profit"}:
        hide.add("margin")
    for row in [figures["total"], figures["previous"], *figures["regions"].values(),
                *figures["channels"].values(), *figures["days"].values()]:
        for key in hide:
            row.pop(key, None)
    return figures
