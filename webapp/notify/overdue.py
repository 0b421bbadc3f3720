"""The 48-hour alarm: open orders with no step for OVERDUE_HOURS alert managers once per breach,
and once more (escalation, managers and admins) 24 hours later."""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify.models import OverdueAlarm
from webapp.notify.routing import HIGH, holders
from webapp.notify.services import notify_user
from webapp.orders.models import Order
from webapp.vocab import OPEN_STATES, overdue_cutoff

ESCALATE_AFTER = timedelta(hours=24)
_handlers: list = []


def on_overdue(fn) -> None:
    """Register fn(order, now) to run in the alarm's transaction when an order first turns overdue."""
    if fn not in _handlers:
        _handlers.append(fn)


def cutoff(now: datetime) -> datetime:
    """Return the instant before which an open order's last step makes it overdue (vocab's rule)."""
    return overdue_cutoff(now, current_app.config["OVERDUE_HOURS"])


def overdue_orders(now: datetime):
    """Return live, non-final orders whose last step is older than the threshold, oldest first."""
    return db.session.scalars(select(Order).where(
        Order.status.in_(OPEN_STATES), Order.deleted_at.is_(None),
        Order.state_changed_at < cutoff(now)).order_by(Order.state_changed_at, Order.id)).all()


def _raise(order: Order, level: int, now: datetime) -> bool:
    """Insert the alarm of this level for this breach; True only for the one caller that inserted it."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(OverdueAlarm).values(order_id=order.id, since=order.state_changed_at, level=level,
                                              raised_at=now)
    stmt = stmt.on_conflict_do_nothing(index_elements=["order_id", "since", "level"])
    return db.session.execute(stmt.returning(OverdueAlarm.id)).scalar() is not None


def _raised_levels() -> set:
    """Return (order id, level) of alarms already raised for the current breach of each order."""
    return set(db.session.execute(select(OverdueAlarm.order_id, OverdueAlarm.level).join(
        Order, (Order.id == OverdueAlarm.order_id) & (Order.state_changed_at == OverdueAlarm.since))).all())


def sweep(now: datetime | None = None) -> int:
    """Raise due alarms and escalations and queue their notifications; return how many were raised."""
    now = now or utcnow()
    raised, done = 0, _raised_levels()
    for order in overdue_orders(now):
        level = 2 if order.state_changed_at < cutoff(now) - ESCALATE_AFTER else 1
        if (order.id, level) in done:
            continue
        new = [lvl for lvl in range(1, level + 1) if _raise(order, lvl, now)]
        if level in new:  # a first sighting at 73 h sends the escalation only
            _alert(order, level, now)
            raised += 1
        if 1 in new:  # the breach itself, once (escalations are not new events)
            for fn in _handlers:
                fn(order, now)
        db.session.commit()
    db.session.commit()  # end the read transaction too (SQLite holds its write lock until then)
    return raised


def _alert(order: Order, level: int, now: datetime) -> None:
    topic = "overdue" if level == 1 else "overdue_escalated"
    users = holders("alert_overdue" if level == 1 else "alert_overdue_escalated")
    hours = int((now - order.state_changed_at).total_seconds() // 3600)
    since = order.state_changed_at.isoformat()
    for user in users:
        notify_user(user, order, topic, f"{topic}:{order.id}:{since}:{user.id}", urgency=HIGH, hours=hours)
