"""The daily backup: off without ORDERHUB_BACKUP_DIR, once a day, the newest ORDERHUB_BACKUP_KEEP kept."""
from datetime import datetime, timezone

from webapp.ops import archive, schedule


def test_no_backup_dir_means_no_scheduled_backup(app):
    with app.app_context():
        assert schedule.run_daily() is None


def test_daily_backup_writes_one_archive_a_day_and_keeps_the_newest(app, tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    for day in range(1, 6):  # older archives, oldest first by name
        (backups / f"orderhub-202611{day:02d}-033000.tar.gz").write_bytes(b"old")
    app.config.update(BACKUP_DIR=str(backups), BACKUP_KEEP=3)
    now = datetime(2026, 12, 1, 19, 30, tzinfo=timezone.utc)
    with app.app_context():
        path = schedule.run_daily(now)
        assert schedule.run_daily(now) is None  # the same day again: nothing new
    assert path.name == "orderhub-20261201-193000.tar.gz"
    assert [p.name for p in schedule.archives(backups)] == [
        "orderhub-20261104-033000.tar.gz", "orderhub-20261105-033000.tar.gz", path.name]
    manifest = archive.check(path, archive.signing_key(app.config["SECRET_KEY"]))
    assert manifest["row_counts"]["alembic_version"] == 1
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_daily_backup_is_scheduled_at_half_past_three_local_time(app):
    from webapp.jobs import bind
    bind(app)  # the schedule reads ORDERHUB_TZ of the bound app
    task = schedule.daily_backup.task_class()
    due = datetime(2026, 12, 1, 19, 30, tzinfo=timezone.utc)  # 03:30 in Asia/Shanghai
    assert task.validate_datetime(due)
    assert not task.validate_datetime(due.replace(hour=3))
