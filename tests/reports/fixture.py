"""A hand-computed day for the report tests: D = 2026-03-10 in Asia/Shanghai (see the expected figures)."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tests.factories import make_order
from tests.notify.helpers import step
from webapp.extensions import db

DAY = date(2026, 3, 10)
TZ = ZoneInfo("Asia/Shanghai")
EAST, NORTH, SOUTH = "浙江省杭州市西湖区文三路 90 号", "北京市朝阳区建国路 1 号", "广东省广州市天河区体育西路 2 号"
BIG = [{"sku": "TV-55", "name": "电视", "unit_price": Decimal("1000.00"), "quantity": 1, "unit_cost": Decimal("600.00")}]


def at(day_offset: int, hh: int, mm: int = 0) -> datetime:
    """A local time on D + day_offset, as aware UTC."""
    local = datetime(DAY.year, DAY.month, DAY.day, hh, mm, tzinfo=TZ) + timedelta(days=day_offset)
    return local.astimezone(ZoneInfo("UTC"))


def build(s1, s2) -> None:
    """Create orders A…I with their steps (must run inside an app context)."""
    a = make_order(salesperson=s1, address=EAST, at=at(0, 9)).id                    # 258.00, profit 153.40
    for to, t in (("confirmed", at(0, 10)), ("in_production", at(0, 11)), ("outbound", at(0, 14))):
        step(a, to, at=t)                                                            # confirmed→outbound 4 h
    b = make_order(salesperson=s1, address=EAST, at=at(-1, 8)).id
    for to, t in (("confirmed", at(-1, 20)), ("in_production", at(0, 8)), ("outbound", at(0, 18))):
        step(b, to, at=t)                                                            # 22 h
    c = make_order(salesperson=s2, address=NORTH, at=at(0, 12), lines=BIG, discount=Decimal("50")).id
    for to, t in (("confirmed", at(0, 13)), ("in_production", at(0, 13, 30)), ("outbound", at(0, 23, 30))):
        step(c, to, at=t)                                                            # 10.5 h; 950.00, profit 350.00
    d = make_order(salesperson=s1, address=NORTH, at=at(0, 15)).id
    step(d, "cancelled", at=at(0, 16))                                               # new but cancelled
    e = make_order(address=SOUTH, at=at(-5, 10)).id
    step(e, "confirmed", at=at(-5, 11))                                              # overdue (south)
    make_order(address=EAST, at=at(-2, 20))                                          # pending 52 h: overdue (east)
    g = make_order(address=EAST, at=at(-1, 23)).id
    step(g, "confirmed", at=at(-1, 23, 30))                                          # 24.5 h: not overdue
    h = make_order(address=EAST, at=at(-10, 9)).id
    step(h, "completed", at=at(-9, 9))                                               # final: never overdue
    make_order(salesperson=s1, address=EAST, at=at(1, 0))                            # next day: not counted
    db.session.commit()


EXPECTED_STATES = {
    "pending_payment": {"in": 3, "out": 3}, "awaiting_approval": {"in": 0, "out": 0},
    "confirmed": {"in": 2, "out": 3}, "in_production": {"in": 3, "out": 3}, "outbound": {"in": 3, "out": 0},
    "in_transit": {"in": 0, "out": 0}, "completed": {"in": 0, "out": 0}, "cancelled": {"in": 1, "out": 0},
}
EXPECTED_TOTAL = {"new": 2, "outbound": 3, "overdue": 2, "count": 3, "median_hours": 10.5, "p90_hours": 22.0,
                  "revenue": "1208.00", "profit": "503.40"}
EXPECTED_REGIONS = {
    "east": {"new": 1, "outbound": 2, "overdue": 1, "count": 2, "median_hours": 13.0, "p90_hours": 22.0,
             "revenue": "258.00", "profit": "153.40"},
    "north": {"new": 1, "outbound": 1, "overdue": 0, "count": 1, "median_hours": 10.5, "p90_hours": 10.5,
              "revenue": "950.00", "profit": "350.00"},
    "south": {"new": 0, "outbound": 0, "overdue": 1, "count": 0, "median_hours": None, "p90_hours": None,
              "revenue": "0.00", "profit": "0.00"},
}


def add_kpi_facts() -> dict:
    """Add to D: A completed, tracking views, inquiries and approval requests; return the figures they give.

    created → completed: A created 09:00, completed 20:00 → 11 h. Views on D: 3 (A) + 1 (C); one the day before
    and one the day after are not counted. Inquiries on D: where-is-my-order (A) and a complaint (C).
    Time to approve: C asked 12:30, approved 14:30 → 2 h; B asked D-1 20:00, rejected D 08:00 → 12 h; a request
    superseded on D and one still open at midnight are not decided (the open one is waiting at the day's end).
    """
    from webapp.aftersales.models import Inquiry
    from webapp.approvals.models import ApprovalRequest
    from webapp.tracking.models import TrackingView
    from webapp.orders.models import Order
    a, b, c = (o.id for o in db.session.query(Order).order_by(Order.id).limit(3))
    step(a, "in_transit", at=at(0, 15))
    step(a, "completed", at=at(0, 20))
    db.session.add_all([TrackingView(order_id=a, at=at(0, h)) for h in (15, 16, 21)]
                       + [TrackingView(order_id=c, at=at(0, 23, 40)), TrackingView(order_id=c, at=at(1, 8)),
                          TrackingView(order_id=b, at=at(-1, 9))])
    db.session.add_all([Inquiry(order_id=a, reason="where_is_my_order", created_at=at(0, 16)),
                        Inquiry(order_id=c, reason="complaint", created_at=at(0, 23, 50))])

    def request(order_id, status, opened, closed=None):
        return ApprovalRequest(order_id=order_id, status=status, created_at=opened, closed_at=closed,
                               level_since=opened, chain_json="[]")
    db.session.add_all([request(c, "approved", at(0, 12, 30), at(0, 14, 30)),
                        request(b, "rejected", at(-1, 20), at(0, 8)),
                        request(c, "superseded", at(0, 10), at(0, 12, 30)),
                        request(b, "open", at(0, 16))])
    db.session.commit()
    return {"completed": 1, "views": 4, "inquiries": 2, "wism": 1, "done": (11.0, 11.0, 1), "approve": (7.0, 12.0, 2),
            "waiting_at_midnight": 1}
