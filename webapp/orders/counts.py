"""Order counts per state kept in step with every write, so the board's tabs stay O(1) at a million orders.

The write service calls track() around each change inside its transaction; `flask orders recount`
rebuilds the table from the orders (after a bulk load or to check it).
"""
from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from webapp.extensions import db
from webapp.orders.models import Order, OrderCount

KEY = ("status", "region", "channel", "salesperson_id")


def key(order) -> tuple | None:
    """Return the counter key of an order, or None for a deleted order (not counted)."""
    if order.deleted_at is not None:
        return None
    return (order.status, order.region or "", order.channel, order.salesperson_id or 0)


def _bump(k: tuple, delta: int) -> None:
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(OrderCount).values(**dict(zip(KEY, k)), n=delta)
    db.session.execute(stmt.on_conflict_do_update(index_elements=list(KEY), set_={"n": OrderCount.n + delta}))


def move(before: tuple | None, after: tuple | None) -> None:
    """Move one order's count from its old key to its new one (None: not counted)."""
    if before == after:
        return
    from webapp.audit.services import hold_chain
    hold_chain()  # every writer of a counter row also appends to the audit chain: the chain's lock first
    if before is not None:
        _bump(before, -1)
    if after is not None:
        _bump(after, 1)


def rebuild() -> int:
    """Recount every live order into the table; return the number of counter rows."""
    db.session.execute(delete(OrderCount))
    rows = (select(Order.status, func.coalesce(Order.region, ""), Order.channel,
                   func.coalesce(Order.salesperson_id, 0), func.count())
            .where(Order.deleted_at.is_(None)).group_by(Order.status, Order.region, Order.channel,
                                                        Order.salesperson_id))
    db.session.execute(insert(OrderCount).from_select([*KEY, "n"], rows))
    return db.session.scalar(select(func.count()).select_from(OrderCount))
