"""Restore never resends: messages unsent at backup time come back held, until an operator releases or drops them."""
import sqlalchemy as sa

from tests.factories import make_order
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.notify import delivery, outbox
from webapp.notify.models import OutboxMessage, SmsRecord


def _queue_sms(app, n=2) -> list[int]:
    with app.app_context():
        order = make_order(phone="+8613800138000")
        ids = [outbox.enqueue(f"sms:test:{i}", "sms", "outbound_sms", {"text": f"第 {i} 条"}, phone="+8613800138000",
                              order_id=order.id) for i in range(n)]
        db.session.commit()
        return ids


def _drain(app) -> int:
    with app.app_context():
        handled = delivery.drain()
        db.session.remove()
        return handled


def _statuses(app) -> dict:
    with app.app_context():
        rows = db.session.execute(sa.select(OutboxMessage.id, OutboxMessage.status)).all()
        db.session.remove()
        return dict(rows)


def _sms_sent(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(SmsRecord.id)))


def _restore(app, runner, tmp_path) -> list[int]:
    """Queue two SMS, back up, send them, restore the backup."""
    ids = _queue_sms(app)
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b.tar")]).exit_code == 0
    assert _drain(app) == 2 and _sms_sent(app) == 2  # they went out after the backup
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "b.tar"), "--yes"])
    assert result.exit_code == 0, result.output
    assert "2 message(s) unsent at backup time are HELD" in result.output
    return ids


def test_restore_holds_what_was_unsent_at_backup_time_and_the_worker_leaves_it(app, runner, tmp_path):
    ids = _restore(app, runner, tmp_path)
    assert _statuses(app) == {ids[0]: "held", ids[1]: "held"}
    assert _drain(app) == 0 and _sms_sent(app) == 0  # nothing is sent a second time
    listed = runner.invoke(args=["outbox", "list"])
    assert listed.exit_code == 0 and "2 message(s)" in listed.output and "held after the restore" in listed.output
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "backup_restored"))
        assert f"2 outbox message(s) held: {ids[0]},{ids[1]}" in entry.detail


def test_an_operator_releases_one_and_drops_the_other_audited(app, runner, tmp_path):
    ids = _restore(app, runner, tmp_path)
    released = runner.invoke(args=["outbox", "release", str(ids[0])])
    assert released.exit_code == 0 and "released 1 message(s)" in released.output
    dropped = runner.invoke(args=["outbox", "drop", "--all"])
    assert dropped.exit_code == 0 and "dropped 1 message(s)" in dropped.output
    assert _drain(app) == 1 and _sms_sent(app) == 1
    assert _statuses(app) == {ids[0]: "sent", ids[1]: "skipped"}
    with app.app_context():
        actions = list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))[-2:]
        assert actions == ["outbox_released", "outbox_dropped"]


def test_release_of_a_message_that_is_not_held_changes_nothing(app, runner, tmp_path):
    ids = _restore(app, runner, tmp_path)
    result = runner.invoke(args=["outbox", "release", str(ids[0]), "999"])
    assert result.exit_code == 1 and "not held (or no such message): 999" in result.output
    assert _statuses(app) == {ids[0]: "held", ids[1]: "held"}
    assert runner.invoke(args=["outbox", "release"]).exit_code == 2  # neither ids nor --all
