"""Who is told: the next level (and delegates) when a level passes, the salesperson with the reason on a
rejection, the fallback on escalation — each as a push in the outbox, written with the decision."""
import json
from datetime import timedelta

from sqlalchemy import select

from tests.approvals.conftest import decide, step
from webapp.approvals import alerts
from webapp.approvals import services as approvals
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify.models import OutboxMessage, PushSubscription


def _device(user):
    db.session.add(PushSubscription(user_id=user.id, endpoint=f"https://push.example/{user.username}",
                                    p256dh="B" * 87, auth="A" * 22, device="phone", created_at=utcnow()))
    db.session.commit()


def _pushes(user, topic):
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == user.id,
                                                          OutboxMessage.topic == topic))
    return [json.loads(m.payload) for m in rows]


def test_finance_hears_when_its_level_comes_and_sales_hears_the_reason(ctx, people, submit):
    for name in ("cfo", "cfo2", "sales"):
        _device(people[name])
    order = step(submit(250).order_no, "awaiting_approval", people["sales"])
    assert not _pushes(people["cfo"], "approval_needed")
    decide(order.order_no, "approve", people["boss"])
    (push,) = _pushes(people["cfo"], "approval_needed")
    assert push["url"] == f"/orders/{order.order_no}/approval" and order.order_no in push["title"]
    decide(order.order_no, "reject", people["cfo2"], reason="账期太长")
    (back,) = _pushes(people["sales"], "approval_rejected")
    assert "账期太长" in back["title"] and back["body"] == "账期太长"


def test_escalation_alerts_the_fallback_once(ctx, people, submit):
    _device(people["root"])
    order = step(submit(250).order_no, "awaiting_approval", people["sales"])
    decide(order.order_no, "approve", people["boss"])
    since = approvals.open_request(order).level_since
    alerts.sweep(now=since + timedelta(hours=5))
    alerts.sweep(now=since + timedelta(hours=6))
    assert len(_pushes(people["root"], "approval_escalated")) == 1


def test_a_named_finance_first_level_is_told_and_managers_are_not(ctx, people, submit):
    from webapp.approvals.models import ApprovalRule
    from webapp.approvals import rules
    if not db.session.scalar(select(db.func.count()).select_from(ApprovalRule)):
        db.session.add_all(rules.default_rules())
    rule = db.session.scalar(select(ApprovalRule).where(ApprovalRule.code == "goods_50k"))
    rule.levels_json = json.dumps([{"user": "cfo"}])
    db.session.commit()
    for name in ("cfo", "boss"):
        _device(people[name])
    order = step(submit(60).order_no, "awaiting_approval", people["sales"])
    assert len(_pushes(people["cfo"], "approval_needed")) == 1
    assert not _pushes(people["boss"], "approval_needed")  # managers are not in this chain
    assert decide(order.order_no, "approve", people["cfo"]).status == "confirmed"
