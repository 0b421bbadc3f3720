"""Delegation ("approved by X for Y") and escalation after the rule's hours, with a controlled clock."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.approvals.conftest import decide, step
from webapp.approvals import alerts, delegation
from webapp.approvals import services as approvals
from webapp.audit.models import AuditEntry
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders.errors import Forbidden


def _away(user, to, hours=24):
    now = utcnow()
    row = delegation.delegate(user, to, now - timedelta(hours=1), now + timedelta(hours=hours), actor=user)
    db.session.commit()
    return row


def test_a_delegate_approves_for_the_absent_finance_director(ctx, people, submit):
    order = step(submit(250).order_no, "awaiting_approval", people["sales"])
    decide(order.order_no, "approve", people["boss"])
    _away(people["cfo"], people["boss2"])
    _away(people["cfo2"], people["boss2"])
    assert decide(order.order_no, "approve", people["boss2"]).status == "confirmed"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "approval_approve",
                                                       AuditEntry.actor == "boss2"))
    assert "by boss2 for cfo" in entry.detail


def test_the_approver_of_an_earlier_level_cannot_stand_in_for_a_later_one(ctx, people, submit):
    order = step(submit(250).order_no, "awaiting_approval", people["sales"])
    decide(order.order_no, "approve", people["boss"])
    _away(people["cfo"], people["boss"])
    with pytest.raises(Forbidden) as refused:
        decide(order.order_no, "approve", people["boss"])
    assert refused.value.code == "already_decided"


def test_a_delegation_outside_its_window_does_not_count(ctx, people, submit):
    order = step(submit(250).order_no, "awaiting_approval", people["sales"])
    decide(order.order_no, "approve", people["boss"])
    now = utcnow()
    delegation.delegate(people["cfo"], people["boss2"], now + timedelta(days=1), now + timedelta(days=2),
                        actor=people["cfo"])
    db.session.commit()
    with pytest.raises(Forbidden):
        decide(order.order_no, "approve", people["boss2"])


@pytest.mark.parametrize("to, hours", [("cfo", 24), ("sales", 24), ("boss", -2)])
def test_bad_delegations_are_refused(ctx, people, to, hours):
    with pytest.raises(delegation.DelegationError):
        _away(people["cfo"], people[to], hours=hours)


def test_a_delegation_loop_is_refused(ctx, people):
    _away(people["boss"], people["boss2"])
    with pytest.raises(delegation.DelegationError):
        _away(people["boss2"], people["boss"])


def test_escalation_after_four_hours_lets_the_fallback_approve(ctx, people, submit):
    """The seed's story: the finance director abroad answers nobody; the order is approved anyway."""
    order = step(submit(250).order_no, "awaiting_approval", people["sales"])
    decide(order.order_no, "approve", people["boss"])
    with pytest.raises(Forbidden):
        decide(order.order_no, "approve", people["root"])
    since = approvals.open_request(order).level_since
    assert alerts.sweep(now=since + timedelta(hours=3, minutes=59)) == 0
    assert alerts.sweep(now=since + timedelta(hours=4, minutes=1)) == 1
    assert alerts.sweep(now=since + timedelta(hours=5)) == 0  # once per level
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "approval_escalated"))
    assert decide(order.order_no, "approve", people["root"]).status == "confirmed"


def test_the_delegation_page(app, client, ctx, people):
    assert client.post("/login", data={"username": "cfo", "password": "correct-horse-1"}).status_code == 302
    assert client.get("/approvals/away").status_code == 200
    day = datetime.now(ZoneInfo(app.config["ORDERHUB_TZ"])).date().isoformat()  # today where the user is
    resp = client.post("/approvals/away", data={"starts": day, "ends": day, "delegate": "cfo2"})
    assert resp.status_code == 303
    assert "cfo2" in client.get("/approvals/away").get_data(as_text=True)
    assert client.post("/approvals/away", data={"starts": day, "ends": day, "delegate": "cfo"}).status_code == 422
