"""An order's money: goods, amount due, cost and profit, exact to the fen (profit is computed, never typed).

Shipping (issue 16): the fee is always what the carrier costs us, so it is always in cost_total. Who
pays it decides the amount due: "customer" adds it (profit unchanged by the fee), "us" leaves it out
(profit lower by the fee).
"""
from dataclasses import dataclass
from decimal import Decimal

from webapp.core.money import to_money


@dataclass(frozen=True)
class Totals:
    """An order's money figures, all exact to the fen."""

    goods: Decimal
    total_amount: Decimal
    cost_total: Decimal
    profit: Decimal


def compute_totals(lines, discount, shipping_fee, shipping_paid_by: str = "us") -> Totals:
    """Compute goods, amount due, cost and profit from lines (dicts or OrderLine rows).

    `shipping_paid_by` defaults to "us", the formula of orders from before the choice existed.
    """
    def get(line, key):
        return line[key] if isinstance(line, dict) else getattr(line, key)

    goods = sum((Decimal(get(ln, "unit_price")) * int(get(ln, "quantity")) for ln in lines), Decimal(0))
    cost = sum((Decimal(get(ln, "unit_cost")) * int(get(ln, "quantity")) for ln in lines), Decimal(0))
    fee = Decimal(shipping_fee or 0)
    charged = fee if shipping_paid_by == "customer" else Decimal(0)
    total = to_money(goods - Decimal(discount or 0) + charged)
    cost_total = to_money(cost + fee)
    return Totals(to_money(goods), total, cost_total, to_money(total - cost_total))
