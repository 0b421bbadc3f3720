"""The 48-hour alarm with a controlled clock: 47 h none, 49 h one alarm, 73 h one escalation."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_order
from tests.notify.helpers import drain, step
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import overdue
from webapp.notify.models import OutboxMessage, OverdueAlarm


@pytest.fixture
def setup(app, make_user, subscribe):
    """An order confirmed at T0; two managers, an admin and a warehouse user with devices."""
    managers = [make_user("manager", "m1"), make_user("manager", "m2")]
    admin, packer = make_user("admin", "root"), make_user("warehouse", "packer", ["east"])
    t0 = utcnow() - timedelta(days=10)
    with app.app_context():
        oid = make_order(at=t0).id
        step(oid, "confirmed", at=t0)
    for user in (*managers, admin, packer):
        subscribe(user, user.username)
    return oid, t0


def _topics(app) -> list:
    with app.app_context():
        return db.session.execute(select(OutboxMessage.topic, OutboxMessage.user_id, OutboxMessage.urgency)
                                  .order_by(OutboxMessage.id)).all()


def test_47_hours_no_alarm_49_one_73_one_escalation(app, setup):
    oid, t0 = setup
    with app.app_context():
        assert overdue.sweep(now=t0 + timedelta(hours=47)) == 0
        assert overdue.sweep(now=t0 + timedelta(hours=49)) == 1
        assert overdue.sweep(now=t0 + timedelta(hours=50)) == 0  # no spam
        assert overdue.sweep(now=t0 + timedelta(hours=71, minutes=59)) == 0
        assert overdue.sweep(now=t0 + timedelta(hours=73)) == 1
        assert overdue.sweep(now=t0 + timedelta(hours=120)) == 0  # escalates once only
        levels = db.session.scalars(select(OverdueAlarm.level).where(OverdueAlarm.order_id == oid)).all()
    assert sorted(levels) == [1, 2]
    rows = _topics(app)
    assert [r.topic for r in rows] == ["overdue", "overdue", "overdue_escalated", "overdue_escalated",
                                       "overdue_escalated"]
    assert {r.urgency for r in rows} == {"high"}


def test_alarm_goes_to_managers_and_escalation_adds_admins(app, setup, push_service):
    oid, t0 = setup
    with app.app_context():
        overdue.sweep(now=t0 + timedelta(hours=49))
        overdue.sweep(now=t0 + timedelta(hours=73))
        drain()
    by_device = {}
    for m in push_service.messages():
        by_device.setdefault(m["_path"].rsplit("/", 1)[1], []).append(m["topic"])
    assert by_device == {"m1": ["overdue", "overdue_escalated"], "m2": ["overdue", "overdue_escalated"],
                         "root": ["overdue_escalated"]}
    assert all(m["_headers"]["urgency"] == "high" for m in push_service.messages())


def test_first_sighting_after_73_hours_sends_only_the_escalation(app, setup):
    _oid, t0 = setup
    with app.app_context():
        assert overdue.sweep(now=t0 + timedelta(hours=80)) == 1
    assert {r.topic for r in _topics(app)} == {"overdue_escalated"}


def test_a_new_step_ends_the_breach_and_a_later_one_alarms_again(app, setup):
    oid, t0 = setup
    with app.app_context():
        overdue.sweep(now=t0 + timedelta(hours=49))
        step(oid, "in_production", at=t0 + timedelta(hours=50))
        assert overdue.sweep(now=t0 + timedelta(hours=60)) == 0
        assert overdue.sweep(now=t0 + timedelta(hours=99)) == 1
    assert [r.topic for r in _topics(app)].count("overdue") == 4


def test_final_and_deleted_orders_never_alarm(app, setup):
    oid, t0 = setup
    with app.app_context():
        step(oid, "cancelled", at=t0)
        assert overdue.sweep(now=t0 + timedelta(hours=100)) == 0


def test_threshold_is_a_setting(app, setup):
    _oid, t0 = setup
    app.config["OVERDUE_HOURS"] = 24
    with app.app_context():
        assert overdue.sweep(now=t0 + timedelta(hours=25)) == 1

