"""The daily report's KPIs, from the same recorded facts as the dashboard (plugged into the report at start-up).

Processing time created → outbound / created → completed, the wrong-shipment rate, inquiries ("where is
my order" apart), tracking-page views, refunds, approvals waiting at the day's end (or now, for today)
and time to approve; durations as median / P90 hours (nearest rank), like the rest of the report.
"""
from datetime import datetime

from sqlalchemy import func, or_, select

from webapp.approvals.models import ApprovalRequest
from webapp.core.db import utcnow
from webapp.dashboard import facts
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.reports.services import _hours

COUNTS = ("shipped", "completed", "wrong_cases", "inquiries", "wism", "views")
SPANS = {"ship": "ship_durations", "done": "done_durations", "approve": "approve_durations"}


def waiting_at(moment: datetime) -> int:
    """Return how many approval requests were open at `moment` (asked before it, not closed by then)."""
    return db.session.scalar(
        select(func.count()).select_from(ApprovalRequest).join(Order, Order.id == ApprovalRequest.order_id)
        .where(ApprovalRequest.created_at < moment, Order.deleted_at.is_(None),
               or_(ApprovalRequest.closed_at.is_(None), ApprovalRequest.closed_at >= moment))) or 0


def build(day, end: datetime) -> dict:
    """Return the day's KPIs (the facts of every region and channel summed; money as text, like the report)."""
    rows = facts.build(day).values()
    out = {k: sum(r[k] for r in rows) for k in COUNTS}
    for prefix, name in SPANS.items():
        out |= {f"{prefix}_{k}": v for k, v in _hours([d for r in rows for d in r[name]]).items()}
    out["refunds"] = str(sum((r["refunds"] for r in rows), facts.ZERO))
    out["wrong_rate"] = round(out["wrong_cases"] / out["shipped"] * 100, 2) if out["shipped"] else None
    out["approvals_waiting"] = waiting_at(min(end, utcnow()))
    return out
