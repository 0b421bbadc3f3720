"""What each role's home screen shows."""
from sqlalchemy import func, select

from webapp.access.policy import policy_for
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.orders.queries import overdue_cutoff
from webapp.vocab import HOME_SCREENS, STATES, TASK_STATES


def context_for(user) -> dict:
    """Return the template name and data for the user's home screen (the one their role names)."""
    policy = policy_for(user)
    screen = policy.home if policy.home in HOME_SCREENS else "board"
    ctx = {"screen": screen, "overdue_before": overdue_cutoff(), "policy": policy}
    if screen == "warehouse":
        ctx.update(warehouse_tasks(user, policy))
    elif screen == "sales":
        ctx["orders"] = db.session.scalars(
            policy.scope_filter(select(Order).where(Order.deleted_at.is_(None)), Order)
            .order_by(Order.created_at.desc(), Order.id.desc()).limit(20)).all()
    else:
        ctx["counts"] = state_counts(policy)
    return ctx


def warehouse_tasks(user, policy, limit: int = 50) -> dict:
    """Return the user's regions' orders waiting to be packed (inside their row scope), oldest first."""
    base = policy.scope_filter(select(Order).where(
        Order.status.in_(TASK_STATES), Order.deleted_at.is_(None), Order.region.in_(user.region_codes)), Order)
    tasks = db.session.scalars(base.order_by(Order.state_changed_at, Order.id).limit(limit)).all()
    count = db.session.scalar(select(func.count()).select_from(base.subquery()))
    overdue = db.session.scalar(select(func.count()).select_from(
        base.where(Order.state_changed_at < overdue_cutoff()).subquery()))
    return {"tasks": tasks, "task_count": count, "overdue_count": overdue}


def state_counts(policy) -> dict:
    """Return the number of live orders per state that this policy lets the user see."""
    stmt = policy.scope_filter(select(Order.status, func.count()).where(Order.deleted_at.is_(None)), Order)
    rows = db.session.execute(stmt.group_by(Order.status)).all()
    found = dict(rows)
    return {state: found.get(state, 0) for state in STATES}
