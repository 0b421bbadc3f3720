"""Money: goods, amount due, cost and profit exact to the fen, and the tablet's JS agrees with the server."""
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.orders.services import compute_totals

JS = Path(__file__).resolve().parents[2] / "static" / "js" / "money.js"
fen = st.integers(min_value=0, max_value=10_000_000)
line = st.fixed_dictionaries({"price": fen, "cost": fen, "quantity": st.integers(min_value=1, max_value=500)})
order = st.fixed_dictionaries({"lines": st.lists(line, min_size=1, max_size=12), "discount": fen, "shipping": fen})


def _as_lines(data):
    return [{"unit_price": Decimal(ln["price"]) / 100, "unit_cost": Decimal(ln["cost"]) / 100,
             "quantity": ln["quantity"]} for ln in data["lines"]]


def _expected_fen(data):
    goods = sum(ln["price"] * ln["quantity"] for ln in data["lines"])
    cost = sum(ln["cost"] * ln["quantity"] for ln in data["lines"]) + data["shipping"]
    due = goods - data["discount"]
    return {"goods": goods, "due": due, "cost": cost, "profit": due - cost}


@settings(deadline=None)
@given(order)
def test_totals_match_integer_fen_arithmetic(data):
    totals = compute_totals(_as_lines(data), Decimal(data["discount"]) / 100, Decimal(data["shipping"]) / 100)
    want = _expected_fen(data)
    assert totals.goods * 100 == want["goods"]
    assert totals.total_amount * 100 == want["due"]
    assert totals.cost_total * 100 == want["cost"]
    assert totals.profit * 100 == want["profit"]
    assert totals.profit == totals.total_amount - totals.cost_total
    for value in (totals.goods, totals.total_amount, totals.cost_total, totals.profit):
        assert value.as_tuple().exponent == -2  # always exactly fen


def test_profit_is_revenue_minus_cost_minus_shipping_minus_discount():
    lines = [{"unit_price": Decimal("129.00"), "unit_cost": Decimal("52.30"), "quantity": 2},
             {"unit_price": Decimal("19.90"), "unit_cost": Decimal("6.10"), "quantity": 3}]
    totals = compute_totals(lines, Decimal("10.00"), Decimal("12.00"))
    assert totals.goods == Decimal("317.70")
    assert totals.total_amount == Decimal("307.70")
    assert totals.cost_total == Decimal("134.90")
    assert totals.profit == Decimal("172.80") == Decimal("317.70") - Decimal("122.90") - Decimal("12.00") - Decimal("10.00")


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
@settings(max_examples=1, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(order, min_size=200, max_size=200))
def test_tablet_javascript_agrees_with_the_server_to_the_fen(batch):
    script = (f"const m = require({json.dumps(str(JS))});"
              "const data = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(data.map(o => m.computeTotals(o.lines.map(l => ({priceFen: l.price,"
              " costFen: l.cost, quantity: l.quantity})), m.parseFen((o.discount / 100).toFixed(2)),"
              " m.parseFen((o.shipping / 100).toFixed(2))))));")
    out = subprocess.run(["node", "-e", script], input=json.dumps(batch), capture_output=True, text=True, check=True)
    for data, js in zip(batch, json.loads(out.stdout)):
        server = compute_totals(_as_lines(data), Decimal(data["discount"]) / 100, Decimal(data["shipping"]) / 100)
        assert [js["goods"], js["due"], js["cost"], js["profit"]] == [
            int(server.goods * 100), int(server.total_amount * 100), int(server.cost_total * 100),
            int(server.profit * 100)]


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_javascript_money_parsing_and_format():
    script = (f"const m = require({json.dumps(str(JS))});"
              "console.log(JSON.stringify([m.parseFen('1,234.5'), m.parseFen('0.01'), m.parseFen('1.999'),"
              " m.parseFen('-1'), m.formatFen(123456789), m.formatFen(-5)]));")
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [123450, 1, None, None, "¥1,234,567.89", "−¥0.05"]
