"""Dashboard KPIs equal a hand-computed fixture and a recomputation from raw rows; stored per day."""
import json
import statistics
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from tests.reports import fixture
from webapp.access.policy import policy_for
from webapp.dashboard import facts, services
from webapp.dashboard.models import DashboardDay
from webapp.extensions import db
from webapp.aftersales.models import Inquiry
from webapp.approvals.models import ApprovalRequest
from webapp.tracking.models import TrackingView
from webapp.orders.models import Order, OrderTransition
from webapp.reports.services import percentile, window

DAY = services.Period(fixture.DAY, fixture.DAY)
HAND = {"orders_in": 3, "shipped": 3, "completed": 0, "cancelled": 1, "revenue": Decimal("1208.00"),
        "cost": Decimal("704.60"), "profit": Decimal("503.40"), "median_hours": 10.5, "p90_hours": 22.0, "n": 3,
        "margin": Decimal("41.7"), "wrong_cases": 0, "inquiries": 0, "wism": 0, "refunds": Decimal("0.00"),
        "wrong_rate": 0.0, "views": 0, "inquiries_per_order": 0.0, "views_per_order": 0.0,
        # created → outbound: A 09:00→14:00 5 h, C 12:00→23:30 11.5 h, B D-1 08:00→D 18:00 34 h
        "ship_median_hours": 11.5, "ship_p90_hours": 34.0, "ship_n": 3,
        "done_median_hours": None, "done_p90_hours": None, "done_n": 0,
        "approve_median_hours": None, "approve_p90_hours": None, "approve_n": 0}
# fixture.add_kpi_facts(): A completed 11 h after creation; 4 views and 2 inquiries (1 where-is-my-order) on D;
# approvals decided after 2 h and 12 h (median 7, P90 by nearest rank 12); per order shipped: 2/3 and 4/3.
HAND_WITH_FACTS = HAND | {"completed": 1, "views": 4, "inquiries": 2, "wism": 1, "inquiries_per_order": 0.67,
                          "views_per_order": 1.33, "done_median_hours": 11.0, "done_p90_hours": 11.0, "done_n": 1,
                          "approve_median_hours": 7.0, "approve_p90_hours": 12.0, "approve_n": 2}


@pytest.fixture
def seeded(app, make_user):
    s1, s2 = make_user("sales", "s1"), make_user("sales", "s2")
    with app.app_context():
        fixture.build(db.session.merge(s1), db.session.merge(s2))


def _raw(day) -> dict:
    """Recompute the day's KPIs straight from orders and order_transitions (no aggregate table)."""
    start, end = window(day)
    orders = db.session.scalars(select(Order).where(Order.created_at >= start, Order.created_at < end,
                                                    Order.deleted_at.is_(None))).all()
    kept = [o for o in orders if o.status != "cancelled"]
    steps = db.session.scalars(select(OrderTransition).where(OrderTransition.at >= start, OrderTransition.at < end)).all()
    seconds = []
    for s in (s for s in steps if s.to_state == "outbound"):
        confirmed = db.session.scalar(select(func.max(OrderTransition.at)).where(
            OrderTransition.order_id == s.order_id, OrderTransition.to_state == "confirmed", OrderTransition.at <= s.at))
        seconds.append((s.at - confirmed).total_seconds())
    revenue, profit = sum(o.total_amount for o in kept), sum(o.profit for o in kept)
    shipped = sum(s.to_state == "outbound" for s in steps)
    inquiries = db.session.scalars(select(Inquiry.reason).where(Inquiry.created_at >= start, Inquiry.created_at < end)).all()
    views = db.session.scalar(select(func.count()).select_from(TrackingView).where(
        TrackingView.at >= start, TrackingView.at < end))
    decided = db.session.execute(select(ApprovalRequest.created_at, ApprovalRequest.closed_at).where(
        ApprovalRequest.closed_at >= start, ApprovalRequest.closed_at < end,
        ApprovalRequest.status.in_(("approved", "rejected")))).all()
    return {"orders_in": len(orders), "shipped": shipped,
            "completed": sum(s.to_state == "completed" for s in steps),
            "cancelled": sum(s.to_state == "cancelled" for s in steps),
            "revenue": revenue, "cost": sum(o.cost_total for o in kept), "profit": profit,
            "median_hours": round(statistics.median(seconds) / 3600, 1),
            "p90_hours": round(percentile(seconds, 0.9) / 3600, 1), "n": len(seconds),
            "margin": round(profit / revenue * 100, 1), "wrong_cases": 0, "inquiries": len(inquiries),
            "wism": inquiries.count("where_is_my_order"), "refunds": Decimal("0.00"), "wrong_rate": 0.0,
            "views": views, "inquiries_per_order": round(len(inquiries) / shipped, 2),
            "views_per_order": round(views / shipped, 2),
            **_spans("ship", _since_created(steps, "outbound")), **_spans("done", _since_created(steps, "completed")),
            **_spans("approve", [(closed - opened).total_seconds() for opened, closed in decided])}


def _since_created(steps, to_state) -> list[float]:
    return [(s.at - db.session.get(Order, s.order_id).created_at).total_seconds() for s in steps if s.to_state == to_state]


def _spans(prefix, seconds) -> dict:
    if not seconds:
        return {f"{prefix}_median_hours": None, f"{prefix}_p90_hours": None, f"{prefix}_n": 0}
    return {f"{prefix}_median_hours": round(statistics.median(seconds) / 3600, 1),
            f"{prefix}_p90_hours": round(percentile(seconds, 0.9) / 3600, 1), f"{prefix}_n": len(seconds)}


def test_each_kpi_equals_hand_computed_and_raw_recomputation(app, seeded):
    with app.app_context():
        figures = services.kpis(DAY)
        assert figures["total"] == HAND == _raw(fixture.DAY)
        assert figures["regions"]["east"]["shipped"] == 2 and figures["regions"]["east"]["median_hours"] == 13.0
        assert figures["regions"]["north"]["orders_in"] == 2 and figures["regions"]["north"]["cancelled"] == 1
        assert figures["previous"]["orders_in"] == 2 and figures["previous"]["shipped"] == 0


def test_days_are_stored_and_read_without_recomputing(app, seeded):
    with app.app_context():
        services.kpis(DAY)
        stored = db.session.scalars(select(DashboardDay).where(DashboardDay.day == fixture.DAY.isoformat())).all()
        assert sum(r.orders_in for r in stored) == 3
        assert sorted(d for r in stored for d in json.loads(r.durations)) == [4 * 3600, 37800, 22 * 3600]
        assert facts.fill(fixture.DAY, fixture.DAY, services.today()) == 0  # a past day is not recomputed
        assert facts.store(fixture.DAY) >= 1  # recomputing replaces the day's rows, never doubles them
        assert services.kpis(DAY)["total"]["orders_in"] == 3


def test_money_is_dropped_where_not_readable(app, seeded):
    with app.app_context():
        figures = services.visible(services.kpis(DAY), policy_for(make_user("support")))
        assert not {"revenue", "cost", "profit", "margin"} & set(figures["total"])
        assert figures["total"]["orders_in"] == 3


def test_live_overdue_counts_by_region(app, seeded):
    with app.app_context():
        live = services.live(None)
    assert live["overdue_regions"].get("south") == 1 and live["overdue"] >= 2


def test_previous_period_has_the_same_length():
    period = services.Period(fixture.DAY - timedelta(days=6), fixture.DAY)
    assert period.previous() == services.Period(fixture.DAY - timedelta(days=13), fixture.DAY - timedelta(days=7))


def test_wrong_shipment_rate_and_refunds_come_from_cases(app, seeded):
    from webapp.aftersales.models import AftersalesCase
    with app.app_context():
        orders = db.session.scalars(select(Order).order_by(Order.id)).all()
        a, c = orders[0], orders[2]  # both shipped on D (east, north)
        db.session.add_all([
            AftersalesCase(order_id=a.id, kind="wrong_item", created_at=fixture.at(0, 20)),
            AftersalesCase(order_id=c.id, kind="return", created_at=fixture.at(0, 21),
                           refund_amount=Decimal("30.00"), refunded_at=fixture.at(0, 22)),
            AftersalesCase(order_id=c.id, kind="damaged", created_at=fixture.at(1, 9))])  # the next day
        db.session.commit()
        total = services.kpis(DAY)["total"]
    assert (total["wrong_cases"], total["wrong_rate"], total["refunds"]) == (1, 33.33, Decimal("30.00"))


def test_views_inquiries_completion_and_time_to_approve_equal_hand_and_raw(app, seeded):
    with app.app_context():
        fixture.add_kpi_facts()
        figures = services.kpis(DAY)
        assert figures["total"] == HAND_WITH_FACTS == _raw(fixture.DAY)
        assert figures["previous"]["views"] == 1  # the view the day before counts there, the day after nowhere
        assert figures["regions"]["east"]["views"] == 3 and figures["regions"]["north"]["views"] == 1
        assert figures["regions"]["north"]["approve_n"] == 1 and figures["regions"]["east"]["approve_n"] == 1


def test_long_ranges_are_listed_per_week(app, seeded):
    with app.app_context():
        period = services.Period(fixture.DAY - timedelta(days=89), fixture.DAY)
        figures = services.kpis(period)
    assert figures["weekly"] and list(figures["days"]) == ["2026-02-26", "2026-03-05"]  # 7-day blocks from the first day
    assert sum(r["orders_in"] for r in figures["days"].values()) == figures["total"]["orders_in"]
    last = list(figures["days"].values())[-1]
    assert last["until"] == fixture.DAY.isoformat()


@pytest.mark.parametrize("first,last,message", [
    ("2026-03-10", "2026-03-01", "ends before it starts"), ("2025-01-01", "2026-03-01", "at most one year"),
    ("10.3.2026", "", "YYYY-MM-DD")])
def test_bad_ranges_are_refused_with_a_clear_message(first, last, message):
    with pytest.raises(services.BadRange, match=message):
        services.parse_range(first, last, fixture.DAY)


def test_a_year_is_the_longest_range():
    assert services.parse_range("2025-03-10", "2026-03-10", fixture.DAY).days == 366
    with pytest.raises(services.BadRange):
        services.parse_range("2025-03-09", "2026-03-10", fixture.DAY)
