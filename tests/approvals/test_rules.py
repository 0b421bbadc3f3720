"""Rules as data: the default chains, goods value (not total) decides, rules edited as rows, bad rules."""
import json
from decimal import Decimal

import pytest

from tests.approvals.conftest import step
from webapp.approvals import rules
from webapp.approvals.models import ApprovalRequest, ApprovalRule
from webapp.approvals.services import open_request
from webapp.extensions import db
from webapp.orders.errors import StepRefused


@pytest.mark.parametrize("thousands, discount, chain", [
    (49, "0", []),
    (50, "0", ["manager"]),
    (199, "0", ["manager"]),
    (200, "0", ["manager", "finance"]),
    (10, "2000", []),                 # 20 % exactly: not above
    (10, "2000.01", ["manager"]),     # above 20 % of the goods value
    (3300, "3300000", ["manager", "finance"]),  # ¥3.3 million discounted to ¥0
])
def test_default_chains(ctx, people, submit, thousands, discount, chain):
    order = submit(thousands, discount)
    assert [lv["role"] for lv in rules.chain_for(order).levels] == chain
    if chain:
        with pytest.raises(StepRefused) as refused:
            step(order.order_no, "confirmed", people["sales"])
        assert refused.value.code == "rule" and refused.value.status == 422
        step(order.order_no, "awaiting_approval", people["sales"])
        request = open_request(order)
        assert [lv["role"] for lv in request.chain] == chain and request.current_level == 0
    else:
        assert step(order.order_no, "confirmed", people["sales"]).status == "confirmed"


def test_the_zero_total_order_needs_both_levels(ctx, people, submit):
    order = submit(3300, "3300000")
    assert order.total_amount == Decimal("0.00")
    step(order.order_no, "awaiting_approval", people["sales"])
    assert "¥200,000" in open_request(order).reasons or "200,000" in open_request(order).reasons


def test_rules_are_rows_an_edit_changes_new_orders_only(ctx, people, submit):
    if not db.session.scalar(db.select(db.func.count()).select_from(ApprovalRule)):  # PostgreSQL: truncated
        db.session.add_all(rules.default_rules())
        db.session.commit()
    waiting = submit(60)
    step(waiting.order_no, "awaiting_approval", people["sales"])
    rule = db.session.scalar(db.select(ApprovalRule).where(ApprovalRule.code == "goods_50k"))
    rule.levels_json = json.dumps([{"user": "cfo"}])
    db.session.commit()
    assert open_request(waiting).chain == [{"role": "manager"}]  # the chain it started with
    fresh = submit(60)
    assert rules.chain_for(fresh).levels == [{"user": "cfo"}]
    rule.active = False
    db.session.commit()
    assert step(submit(60).order_no, "confirmed", people["sales"]).status == "confirmed"


def test_an_empty_rule_table_means_the_defaults(ctx, people, submit):
    db.session.execute(db.delete(ApprovalRule))
    db.session.commit()
    assert [r.code for r in rules.active_rules()] == ["goods_50k", "goods_200k", "discount_20"]
    assert not db.session.scalar(db.select(db.func.count()).select_from(ApprovalRequest))


@pytest.mark.parametrize("levels", [[], [{"role": "manager"}, {"role": "manager"}], [{"x": 1}], [{"role": ""}]])
def test_a_rule_with_no_levels_or_a_loop_is_refused(levels):
    with pytest.raises(rules.RuleError):
        rules.check_levels(levels)
