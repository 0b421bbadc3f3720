"""Load an order for a write or a page: inside the actor's row scope, selected once per transaction."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.access.policy import policy_for
from webapp.extensions import db
from webapp.orders.errors import NotFound
from webapp.orders.models import Order

_LOADED = "orders_loaded"  # session.info: (transaction, {order_no: order}) loaded by load() in it


def load(order_no: str, actor, *, deleted: bool = False) -> Order:
    """Return the order if it exists and is inside the actor's row scope, else raise NotFound.

    Within one transaction an order is selected once: selecting it again would not refresh the object
    the session already holds (every write is a conditional UPDATE on its version, which still guards).
    """
    session = db.session()
    seen = session.info.get(_LOADED)
    if seen is None or session.get_transaction() is None or seen[0] is not session.get_transaction():
        seen = None
    order = seen[1].get(order_no) if seen else None
    if order is None:
        order = db.session.scalar(select(Order).where(Order.order_no == order_no)
                                  .options(joinedload(Order.salesperson).lazyload("*")))
        if order is not None:
            if seen is None:
                seen = session.info[_LOADED] = (session.get_transaction(), {})
            seen[1][order_no] = order
    if order is None or not policy_for(actor).can_see(order) or (order.deleted_at is not None) != deleted:
        raise NotFound(order_no)
    return order
