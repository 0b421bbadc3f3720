"""Rule conditions beyond amount (margin, channel, region, first order, combined) and "all of" levels."""
import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.approvals.conftest import decide, step
from webapp.approvals import rules
from webapp.approvals.models import ApprovalRule
from webapp.approvals.services import open_request
from webapp.extensions import db
from webapp.orders.errors import Forbidden

CFO = {"user": "cfo"}


def _rule(**conditions):
    """Store the defaults plus one extra rule whose single level is the user cfo."""
    if not db.session.scalar(select(db.func.count()).select_from(ApprovalRule)):
        db.session.add_all(rules.default_rules())
    values = {"channels": "", "regions": "", "new_customer": False} | conditions
    db.session.add(ApprovalRule(code="extra", name="extra", levels_json=json.dumps([CFO]), escalate_hours=4,
                                active=True, **values))
    db.session.commit()


# The catalogue item sells at ¥1,000 with ¥600 cost: margin 40 % undiscounted, 33.3 % with ¥1,000 off ¥10,000.
@pytest.mark.parametrize("conditions, discount, channel, fires", [
    ({"max_margin": Decimal("0.50")}, "0", "web", True),
    ({"max_margin": Decimal("0.30")}, "0", "web", False),
    ({"max_margin": Decimal("0.35")}, "1000", "web", True),
    ({"channels": "wechat_group,phone"}, "0", "web", False),
    ({"channels": "wechat_group,phone"}, "0", "phone", True),
    ({"channels": "web", "max_margin": Decimal("0.30")}, "0", "web", False),   # both must hold
    ({"channels": "web", "max_margin": Decimal("0.50")}, "0", "web", True),
    ({"new_customer": True}, "0", "web", True),
    ({"new_customer": True, "channels": "shop"}, "0", "web", False),
])
def test_conditions_combine_with_and(ctx, people, submit, conditions, discount, channel, fires):
    _rule(**conditions)
    order = submit(10, discount, channel=channel)
    assert (CFO in rules.chain_for(order).levels) is fires


def test_zero_due_counts_as_margin_below_any_threshold(ctx, people, submit):
    _rule(max_margin=Decimal("0"))
    assert CFO in rules.chain_for(submit(10, "10000")).levels


@pytest.mark.parametrize("same_region", [True, False])
def test_region_condition(ctx, people, submit, same_region):
    probe = submit(1, phone="13500135000")
    assert probe.region
    _rule(regions=probe.region if same_region else ("north" if probe.region != "north" else "south"))
    assert (CFO in rules.chain_for(submit(10)).levels) is same_region


def test_only_the_customers_first_order_is_new(ctx, people, submit):
    _rule(new_customer=True)
    first = submit(10, phone="13300133000")
    second = submit(10, phone="13300133000")
    assert CFO in rules.chain_for(first).levels and CFO not in rules.chain_for(second).levels


def _all_finance():
    if not db.session.scalar(select(db.func.count()).select_from(ApprovalRule)):
        db.session.add_all(rules.default_rules())
    rule = db.session.scalar(select(ApprovalRule).where(ApprovalRule.code == "goods_50k"))
    rule.levels_json = json.dumps([{"role": "finance", "all": True}])
    db.session.commit()


def test_an_all_of_level_waits_for_every_member(ctx, people, submit):
    _all_finance()
    order = step(submit(60).order_no, "awaiting_approval", people["sales"])
    assert decide(order.order_no, "approve", people["cfo"]).status == "awaiting_approval"
    assert open_request(order).current_level == 0
    with pytest.raises(Forbidden) as twice:
        decide(order.order_no, "approve", people["cfo"])
    assert twice.value.code == "already_decided"
    assert decide(order.order_no, "approve", people["cfo2"]).status == "confirmed"


def test_one_member_rejecting_an_all_of_level_sends_it_back(ctx, people, submit):
    _all_finance()
    order = step(submit(60).order_no, "awaiting_approval", people["sales"])
    decide(order.order_no, "approve", people["cfo"])
    assert decide(order.order_no, "reject", people["cfo2"], reason="价格不对").status == "pending_payment"


def test_a_one_of_level_needs_one(ctx, people, submit):
    order = step(submit(60).order_no, "awaiting_approval", people["sales"])
    assert decide(order.order_no, "approve", people["boss2"]).status == "confirmed"
