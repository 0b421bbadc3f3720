"""Sustained guessing at an account pushes each admin once per alert window (through the outbox); old attempts and
ended sessions are pruned by the worker."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from tests.auth.test_throttle import failures
from webapp import jobs
from webapp.auth import sessions, tasks, throttle
from webapp.auth.models import LoginAttempt, UserSession
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify.models import OutboxMessage, PushSubscription


def _with_device(app, user):
    with app.app_context():
        db.session.add(PushSubscription(user_id=user.id, endpoint=f"https://fcm.googleapis.com/fcm/send/{user.id}",
                                        p256dh="k", auth="a"))
        db.session.commit()


def _pushes(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == throttle.ALERT_ACTION)))
        db.session.expunge_all()
        return rows


def test_sustained_guessing_pushes_each_admin_with_a_device_once(app, make_user):
    make_user("sales", "wang")
    admins = [make_user("admin", "root1"), make_user("admin", "root2")]
    for user in (*admins, make_user("manager", "boss")):  # the manager holds no admin_console right
        _with_device(app, user)
    for n in range(throttle.ALERT_ACCOUNT + 15):  # far past the threshold, from many addresses
        failures(app, f"203.0.113.{n}", "wang", 1)
    pushes = _pushes(app)
    assert sorted(p.user_id for p in pushes) == sorted(a.id for a in admins)
    assert all(p.medium == "push" and p.urgency == "high" and "wang" in p.payload for p in pushes)


def test_an_admin_without_a_device_gets_no_push_but_the_console_flag_stays(app, make_user):
    make_user("sales", "wang")
    make_user("admin", "root1")
    failures(app, "203.0.113.9", "wang", throttle.ALERT_ACCOUNT)
    assert _pushes(app) == []
    with app.app_context():
        assert len(throttle.recent_alerts()) == 1


def test_guessing_from_one_address_at_many_accounts_does_not_push_per_account_flood(app, make_user):
    _with_device(app, make_user("admin", "root1"))
    for n in range(throttle.ALERT_IP + 5):  # one address trying many names: the per-address alert only
        failures(app, "203.0.113.77", f"user{n}", 1)
    assert _pushes(app) == []


def test_the_worker_prunes_old_login_attempts_and_long_ended_sessions(app, make_user):
    user = make_user("sales", "wang")
    now = utcnow()
    with app.app_context():
        db.session.add_all([LoginAttempt(username="wang", ip="1.2.3.4", success=False, outcome="bad_password",
                                         at=now - throttle.KEEP - timedelta(minutes=1)),
                            LoginAttempt(username="wang", ip="1.2.3.4", success=False, outcome="bad_password", at=now)])
        old = now - sessions.KEEP_ENDED - timedelta(days=1)
        db.session.add_all([
            UserSession(token_hash="a" * 64, user_id=user.id, created_at=old, last_seen_at=old, revoked_at=old),
            UserSession(token_hash="b" * 64, user_id=user.id, created_at=old - timedelta(days=10),
                        last_seen_at=old - timedelta(days=10)),  # idle-expired long ago, never revoked
            UserSession(token_hash="c" * 64, user_id=user.id, created_at=now, last_seen_at=now),  # live
            UserSession(token_hash="d" * 64, user_id=user.id, created_at=now, last_seen_at=now, revoked_at=now)])
        db.session.commit()
        jobs.bind(app)
        assert tasks.prune_logins.call_local() == (1, 2)
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 1
        assert sorted(db.session.scalars(select(UserSession.token_hash))) == ["c" * 64, "d" * 64]


def test_pruning_is_scheduled_daily(app):
    jobs.bind(app)
    due = {t.name for t in jobs.huey.read_periodic(datetime(2026, 12, 1, 20, 10, tzinfo=timezone.utc))}  # 04:10 +8
    later = {t.name for t in jobs.huey.read_periodic(datetime(2026, 12, 1, 20, 11, tzinfo=timezone.utc))}
    assert "prune_logins" in due and "prune_logins" not in later
