"""What a rule can ask about an order: goods value, discount share, margin, channel, region, first order.

Every condition a rule sets must hold (they combine with "and"); rules combine with "or" (each rule
that matches adds its levels to the chain). Margin is profit over the amount due; an order due ¥0 or
less has a margin of −100 %, below any threshold.
"""
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from webapp.extensions import db
from webapp.orders.models import Order
from webapp.orders.statemachine import goods_value

NO_MARGIN = Decimal("-1")


def split_codes(text: str | None) -> list[str]:
    """Read "east, north" (or a list) into codes."""
    if isinstance(text, (list, tuple)):
        return [str(c).strip() for c in text if str(c).strip()]
    return [c.strip() for c in (text or "").replace("，", ",").split(",") if c.strip()]


def margin_share(order) -> Decimal:
    """Return profit / amount due (−1 when nothing, or less, is due)."""
    total = Decimal(order.total_amount or 0)
    if total <= 0:
        return NO_MARGIN
    return Decimal(order.profit or 0) / total


def is_first_order(order) -> bool:
    """Say whether no earlier live order of the same phone exists (cancelled ones do not count)."""
    earlier = select(Order.id).where(Order.customer_phone == order.customer_phone, Order.deleted_at.is_(None),
                                     Order.status != "cancelled")
    if order.id is not None:
        earlier = earlier.where(Order.id < order.id)
    return db.session.scalar(earlier.limit(1)) is None


@dataclass
class Facts:
    """The order's figures the rules look at, read once per evaluation (first order only if asked)."""

    order: object
    goods: Decimal
    discount: Decimal
    margin: Decimal
    _first: bool | None = None

    @classmethod
    def of(cls, order) -> "Facts":
        return cls(order, goods_value(order), Decimal(order.discount or 0), margin_share(order))

    @property
    def first_order(self) -> bool:
        if self._first is None:
            self._first = is_first_order(self.order)
        return self._first


def matches(rule, facts: Facts) -> bool:
    """Say whether every condition the rule sets holds (a rule with no condition never matches)."""
    tests = []
    if rule.min_goods is not None:
        tests.append(lambda: facts.goods >= rule.min_goods)
    if rule.min_discount_share is not None:
        tests.append(lambda: facts.goods > 0 and facts.discount / facts.goods > rule.min_discount_share)
    if rule.max_margin is not None:
        tests.append(lambda: facts.margin < rule.max_margin)
    if split_codes(rule.channels):
        tests.append(lambda: facts.order.channel in split_codes(rule.channels))
    if split_codes(rule.regions):
        tests.append(lambda: facts.order.region in split_codes(rule.regions))
    if rule.new_customer:
        tests.append(lambda: facts.first_order)
    return bool(tests) and all(test() for test in tests)


def has_condition(rule) -> bool:
    """Say whether a rule sets at least one condition."""
    return any((rule.min_goods is not None, rule.min_discount_share is not None, rule.max_margin is not None,
                bool(split_codes(rule.channels)), bool(split_codes(rule.regions)), bool(rule.new_customer)))
