"""An order's money: goods, amount due, cost and profit, exact to the fen (profit is computed, never typed)."""
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


def compute_totals(lines, discount, shipping_fee) -> Totals:
    """Compute goods, amount due, cost and profit from lines (dicts or OrderLine rows)."""
    def get(line, key):
        return line[key] if isinstance(line, dict) else getattr(line, key)

    goods = sum((Decimal(get(ln, "unit_price")) * int(get(ln, "quantity")) for ln in lines), Decimal(0))
    cost = sum((Decimal(get(ln, "unit_cost")) * int(get(ln, "quantity")) for ln in lines), Decimal(0))
    total = to_money(goods - Decimal(discount or 0))
    cost_total = to_money(cost + Decimal(shipping_fee or 0))
    return Totals(to_money(goods), total, cost_total, to_money(total - cost_total))
