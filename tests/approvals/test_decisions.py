"""Deciding levels: the chain runs to the last level, refusals are clear, one decision per level counts."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.approvals.conftest import decide, step
from webapp.approvals import services as approvals
from webapp.approvals.models import ApprovalRequest
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.orders import services, txn
from webapp.orders.errors import Conflict, Forbidden, Invalid, StepRefused
from webapp.orders.models import Order, OrderTransition


@pytest.fixture
def waiting(people, submit):
    """waiting(thousands) → an order in awaiting_approval with its chain recorded."""
    def _waiting(thousands=250, discount="0"):
        order = submit(thousands, discount)
        return step(order.order_no, "awaiting_approval", people["sales"])
    return _waiting


def _entries(order_no, action):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.order_no == order_no,
                                                            AuditEntry.action == action).order_by(AuditEntry.id)))


def test_manager_then_finance_confirms_and_each_decision_is_audited(ctx, people, waiting):
    order = waiting(250)
    assert decide(order.order_no, "approve", people["boss"]).status == "awaiting_approval"
    assert approvals.open_request(order).current_level == 1
    assert decide(order.order_no, "approve", people["cfo"]).status == "confirmed"
    audit = _entries(order.order_no, "approval_approve")
    assert [(e.actor, e.old, e.new) for e in audit] == [("boss", "level 1/2", "approve"), ("cfo", "level 2/2", "approve")]
    request = db.session.scalar(select(ApprovalRequest).where(ApprovalRequest.order_id == order.id))
    assert request.status == "approved" and [d.actor.username for d in request.decisions] == ["boss", "cfo"]


def test_single_level_chain_confirms_on_the_first_approval(ctx, people, waiting):
    order = waiting(60)
    assert decide(order.order_no, "approve", people["boss2"]).status == "confirmed"


def test_refusals_twice_someone_elses_level_stale_version_and_no_reason(ctx, people, waiting):
    order = waiting(250)
    for who in ("cfo", "sales"):
        with pytest.raises(Forbidden) as refused:
            decide(order.order_no, "approve", people[who])
        assert refused.value.code == "not_your_level" and "1" in str(refused.value.message)
    with pytest.raises(Conflict):
        decide(order.order_no, "approve", people["boss"], version=order.version - 1)
    with pytest.raises(Invalid):
        decide(order.order_no, "reject", people["boss"], reason="  ")
    decide(order.order_no, "approve", people["boss"], version=order.version)
    with pytest.raises(Forbidden) as twice:
        decide(order.order_no, "approve", people["boss"])
    assert twice.value.code == "already_decided"
    assert [e.actor for e in _entries(order.order_no, "refused_write")].count("boss") == 1


def test_sales_cannot_decide_outside_its_scope(ctx, people, waiting, make_user):
    order = waiting(60)
    other_sales = make_user("sales", "sales_other")
    with pytest.raises(Exception) as refused:
        decide(order.order_no, "approve", other_sales)
    assert refused.value.status == 404


def test_reject_sends_the_order_back_with_the_reason(ctx, people, waiting):
    order = waiting(250)
    decide(order.order_no, "approve", people["boss"])
    assert decide(order.order_no, "reject", people["cfo"], reason="价格太低").status == "pending_payment"
    back = db.session.scalar(select(OrderTransition).where(OrderTransition.from_state == "awaiting_approval"))
    assert back.reason == "价格太低"
    assert _entries(order.order_no, "approval_reject")[0].detail.endswith("价格太低")
    # Sent back: the salesperson may ask again, and a fresh chain starts.
    step(order.order_no, "awaiting_approval", people["sales"])
    assert approvals.open_request(order).current_level == 0


def test_the_generic_step_cannot_bypass_the_chain(ctx, people, waiting):
    order = waiting(250)
    with pytest.raises(StepRefused) as refused:
        step(order.order_no, "confirmed", people["boss"])
    assert refused.value.code == "approval"
    with pytest.raises(StepRefused):
        step(order.order_no, "pending_payment", people["boss"], reason="x")
    assert db.session.get(Order, order.id).status == "awaiting_approval"


def test_one_decision_per_level_counts(ctx, people, waiting):
    order = waiting(250)
    stale = approvals.open_request(order)
    decide(order.order_no, "approve", people["boss"])
    db.session.expire_all()
    stale.current_level = 0  # another request that read the level before the first decision landed
    with pytest.raises(Conflict):
        approvals._record(stale, 0, "approve", people["boss2"], None, "", None, order.order_no)
    db.session.rollback()
    request = approvals.open_request(order)
    assert request.current_level == 1 and [d.actor_id for d in request.decisions] == [people["boss"].id]


def test_a_money_change_on_a_waiting_order_restarts_the_chain(ctx, people, waiting):
    order = waiting(250)
    decide(order.order_no, "approve", people["boss"])
    txn.run(lambda: services.update_order(order.order_no, {"discount": "1000"}, actor=people["boss"], via="web"),
            actor=people["boss"], via="web")
    request = approvals.open_request(order)
    assert request.current_level == 0 and not request.decisions
    assert _entries(order.order_no, "approval_restarted")
    txn.run(lambda: services.update_order(order.order_no, {},
                                          [{"sku": "K1000", "quantity": 60}], actor=people["boss"], via="web"),
            actor=people["boss"], via="web")
    assert approvals.open_request(db.session.get(Order, order.id)).chain == [{"role": "manager"}]


def test_cancelling_a_waiting_order_closes_its_request(ctx, people, waiting):
    order = waiting(60)
    step(order.order_no, "cancelled", people["sales"], reason="客户取消")
    assert approvals.open_request(order) is None



@pytest.mark.parametrize("thousands, approve, change, refused", [
    (10, False, {"discount": "3000"}, True),        # auto-passed, then a 30 % discount: discount_20 not approved
    (10, False, {"discount": "500"}, False),        # 5 %: no rule
    (60, True, {"discount": "100"}, False),         # the approved rule still covers it
    (60, True, {"discount": "60000"}, True),        # discounted to ¥0 after approval
])
def test_a_money_change_on_a_confirmed_order_is_re_evaluated(ctx, people, submit, thousands, approve, change,
                                                              refused):
    """The matrix locks money after confirmation; where it does not, the approval rules still catch the change."""
    from webapp.approvals.events import refuse_unapproved_change
    order = submit(thousands)
    if approve:
        step(order.order_no, "awaiting_approval", people["sales"])
        decide(order.order_no, "approve", people["boss"])
    else:
        step(order.order_no, "confirmed", people["sales"])
    order = db.session.get(Order, order.id)
    assert order.status == "confirmed"
    order.discount = Decimal(change["discount"])  # as the write service would, before its order event
    if refused:
        with pytest.raises(Invalid) as caught:
            refuse_unapproved_change(order, {"discount": (0, order.discount)})
        assert "discount" in caught.value.errors
    else:
        refuse_unapproved_change(order, {"discount": (0, order.discount)})
    db.session.rollback()
