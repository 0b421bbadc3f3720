"""Read side of orders: the board (filters, search, counts per state, keyset paging) and the order page.

Every query is narrowed by the user's row scope first; the number of SQL statements per page is
constant whatever the number of orders or lines (pinned by tests/orders/test_query_counts.py).
"""
import base64
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import joinedload, raiseload

from webapp.access.policy import policy_for
from webapp.core.db import utcnow
from webapp.core.timefmt import parse_day
from webapp.extensions import db
from webapp.orders import statemachine as sm
from webapp.orders.models import Order, OrderCount, OrderTransition
from webapp.orders.phones import normalize_phone
from webapp import vocab
from webapp.vocab import CHANNELS, REGIONS, STATES

PAGE_SIZE = 30
COUNT_CAP = 1000  # tab counts are exact up to here, shown as "1000+" beyond


@dataclass
class BoardQuery:
    """What the board is asked for: filters, search text and the keyset cursor."""

    state: str = ""
    region: str = ""
    channel: str = ""
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    cursor: tuple | None = None
    deleted: bool = False
    overdue: bool = False  # only open orders with no step for more than OVERDUE_HOURS
    sort: str = ""  # one of SORTS: newest first (""), "oldest", "amount" (largest first)
    errors: dict = field(default_factory=dict)

    def args(self, **override) -> dict:
        """Return the query-string arguments for this board (for links and hx-push-url)."""
        out = {"state": self.state, "region": self.region, "channel": self.channel, "q": self.q,
               "from": self.date_from.isoformat() if self.date_from else "",
               "to": self.date_to.isoformat() if self.date_to else "", "deleted": "1" if self.deleted else "",
               "overdue": "1" if self.overdue else "", "sort": self.sort}
        out.update(override)
        return {k: v for k, v in out.items() if v}


def _day(text: str):
    try:
        return parse_day(text) if text else None
    except ValueError:  # malformed or out of range (9999-12-31 + 1 day overflows): dropped
        return None


# Callables returning {code: label} of channels beyond vocab.CHANNELS (webapp.intake installs one: channels as data).
CHANNEL_SOURCES: list = []


def channel_choices() -> dict[str, str]:
    """Return {code: label} of every channel the board filters by: built-ins, then the added active ones."""
    from webapp.core.labels import channel_label
    choices = {code: channel_label(code) for code in CHANNELS}
    for source in CHANNEL_SOURCES:
        choices.update({code: label for code, label in source().items() if code not in choices})
    return choices


def parse_board(args) -> BoardQuery:
    """Read board filters from request args, dropping values that are not ours."""
    pick = lambda name, allowed: args.get(name, "") if args.get(name, "") in allowed else ""  # noqa: E731
    channel = args.get("channel", "")
    channel = channel if channel in CHANNELS or channel in channel_choices() else ""
    return BoardQuery(state=pick("state", STATES), region=pick("region", REGIONS), channel=channel,
                      date_from=_day(args.get("from", "")), date_to=_day(args.get("to", "")),
                      q=(args.get("q") or "").strip()[:64], cursor=decode_cursor(args.get("cursor", "")),
                      deleted=args.get("deleted") == "1", overdue=args.get("overdue") == "1",
                      sort=pick("sort", SORTS))


# Board orders: sort name → (column, descending). "amount" is offered only to who may read total_amount.
SORTS = {"": (Order.created_at, True), "oldest": (Order.created_at, False), "amount": (Order.total_amount, True)}


def effective_sort(query: BoardQuery, policy) -> str:
    """Return the sort the board applies: amount only where total_amount is readable."""
    return "" if query.sort == "amount" and not policy.can_read("total_amount") else query.sort


def encode_cursor(order, sort: str = "") -> str:
    """Encode the position after `order` (its sort key and id) for the next page."""
    key = order.total_amount if sort == "amount" else order.created_at.isoformat()
    raw = f"{key}|{order.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(text: str):
    """Decode a cursor to (key text, id); a malformed one means the first page."""
    if not text:
        return None
    try:
        key, ident = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode().split("|")
        return key, int(ident)
    except (ValueError, UnicodeDecodeError):
        return None


def _cursor_key(text: str, sort: str):
    key = Decimal(text) if sort == "amount" else datetime.fromisoformat(text)
    if sort == "amount" and not key.is_finite():
        raise ValueError("not a number")
    return key


def _local_bounds(query: BoardQuery):
    zone = ZoneInfo(current_app.config["ORDERHUB_TZ"])
    start = datetime.combine(query.date_from, time(), zone) if query.date_from else None
    end = datetime.combine(query.date_to + timedelta(days=1), time(), zone) if query.date_to else None
    return start, end


def _search(stmt, q: str, policy):
    """Match an order number, a phone number in any format, or a customer's exact name."""
    if q.upper().startswith("SO"):
        return stmt.where(Order.order_no == q.upper())
    if any(ch.isdigit() for ch in q) and policy.can_read("customer_phone"):
        try:
            return stmt.where(Order.customer_phone == normalize_phone(q))
        except ValueError:
            return stmt.where(Order.id.is_(None))
    if policy.can_read("customer_name"):
        return stmt.where(Order.customer_name == q)
    return stmt.where(Order.id.is_(None))


def _filtered(stmt, query: BoardQuery, actor):
    policy = policy_for(actor)
    stmt = policy.scope_filter(stmt, Order)
    show_deleted = query.deleted and sm.may(actor, "restore")
    stmt = stmt.where(Order.deleted_at.is_not(None) if show_deleted else Order.deleted_at.is_(None))
    for name in ("region", "channel"):
        if getattr(query, name):
            stmt = stmt.where(getattr(Order, name) == getattr(query, name))
    if query.overdue:
        stmt = stmt.where(Order.status.in_(vocab.OPEN_STATES), Order.state_changed_at < overdue_cutoff())
    start, end = _local_bounds(query)
    if start:
        stmt = stmt.where(Order.created_at >= start)
    if end:
        stmt = stmt.where(Order.created_at < end)
    return _search(stmt, query.q, policy) if query.q else stmt


def state_counts(query: BoardQuery, actor) -> dict:
    """Return {state: count} of the orders matching every filter but the state (one statement).

    Scope, region and channel filters sum the order_counts table (exact, a few hundred rows at most);
    a search, a date range or the deleted list count the orders themselves, up to COUNT_CAP each.
    """
    if query.q or query.date_from or query.date_to or query.deleted or query.overdue:
        return _capped_counts(query, actor)
    stmt = policy_for(actor).scope_filter(select(OrderCount.status, func.sum(OrderCount.n)), OrderCount)
    for name in ("region", "channel"):
        if getattr(query, name):
            stmt = stmt.where(getattr(OrderCount, name) == getattr(query, name))
    found = dict(db.session.execute(stmt.group_by(OrderCount.status)).all())
    return {state: int(found.get(state) or 0) for state in STATES}


def _capped_counts(query: BoardQuery, actor) -> dict:
    """Count matching orders per state, each up to COUNT_CAP ("1000+"): bounded index scans.

    Only open orders can be overdue: the overdue view counts those states and never scans the closed
    ones (at 1M orders, the completed ones alone took PostgreSQL ~400 ms to rule out).
    """
    def capped(state):
        rows = _filtered(select(Order.id), query, actor).where(Order.status == state).limit(COUNT_CAP)
        return select(func.count()).select_from(rows.subquery()).scalar_subquery()
    states = [s for s in STATES if not query.overdue or s in vocab.OPEN_STATES]
    row = db.session.execute(select(*(capped(state).label(state) for state in states))).one()
    return {state: dict(zip(states, row)).get(state, 0) for state in STATES}


def overdue_count(query: BoardQuery, actor) -> int:
    """Count the overdue orders matching every filter but the state, up to COUNT_CAP (one statement)."""
    rows = _filtered(select(Order.id), replace(query, overdue=True), actor).limit(COUNT_CAP)
    return db.session.execute(select(func.count()).select_from(rows.subquery())).scalar_one()


def board_page(query: BoardQuery, actor, size: int = PAGE_SIZE) -> tuple[list, str | None]:
    """Return one page of orders in the query's sort, and the cursor of the next page (None at the end)."""
    sort = effective_sort(query, policy_for(actor))
    column, desc = SORTS[sort]
    stmt = _filtered(select(Order), query, actor)
    if query.state:
        stmt = stmt.where(Order.status == query.state)
    if query.cursor:
        try:
            after = tuple_(_cursor_key(query.cursor[0], sort), query.cursor[1])
        except (ArithmeticError, ValueError):
            after = None
        if after is not None:
            key = tuple_(column, Order.id)
            stmt = stmt.where(key < after if desc else key > after)
    order_by = (column.desc(), Order.id.desc()) if desc else (column.asc(), Order.id.asc())
    # lazy, not raise, below the salesperson: that row may be the current user (see timeline()).
    stmt = (stmt.options(raiseload(Order.lines), joinedload(Order.salesperson).lazyload("*"))
            .order_by(*order_by).limit(size + 1))
    rows = list(db.session.scalars(stmt))
    more = len(rows) > size
    rows = rows[:size]
    return rows, (encode_cursor(rows[-1], sort) if more and rows else None)


def overdue_cutoff(now: datetime | None = None) -> datetime:
    """Return the instant before which an open order that has not moved is overdue (vocab's rule)."""
    return vocab.overdue_cutoff(now or utcnow(), current_app.config["OVERDUE_HOURS"])


def is_overdue(order, cutoff: datetime) -> bool:
    """Say whether an order has sat in an open state since before the cutoff."""
    return vocab.is_overdue(order.status, order.state_changed_at, cutoff)


def age_hours(order, now: datetime | None = None) -> int:
    """Return how many whole hours ago the order was created (the board's age column)."""
    return int(((now or utcnow()) - order.created_at).total_seconds() // 3600)


def timeline(order) -> list:
    """Return the order's state steps, oldest first, with who took them (one query).

    The actor may be the current user, expired by a rollback: options given here become that
    object's loaders, so they must be lazy, never raise (a raise made User.regions a 500).
    """
    stmt = (select(OrderTransition).where(OrderTransition.order_id == order.id)
            .options(joinedload(OrderTransition.actor).lazyload("*")).order_by(OrderTransition.id))
    return list(db.session.scalars(stmt))
