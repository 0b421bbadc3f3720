"""Idempotency-Keys are kept seven days; a job the worker schedules hourly (and runs on start) forgets older ones."""
from datetime import datetime, timedelta

from sqlalchemy import select

from webapp import jobs
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.offline import idempotency
from webapp.offline.models import IdempotencyKey

ON_THE_HOUR, A_MINUTE_LATER = datetime(2026, 12, 1, 3, 0), datetime(2026, 12, 1, 3, 1)  # UTC, as Huey asks
AGES = {"kept-seven-days": timedelta(days=7), "kept-almost-eight": idempotency.KEEP - timedelta(minutes=1),
        "gone-just-past-eight": idempotency.KEEP + timedelta(minutes=1), "gone-a-month": timedelta(days=30)}


def _due(app, when: datetime) -> dict:
    """Return the periodic tasks the worker's scheduler starts at `when`, by name."""
    jobs.bind(app)
    return {task.name: task for task in jobs.huey.read_periodic(when)}


def test_the_worker_prunes_keys_every_hour_and_when_it_starts(app):
    assert "prune_idempotency_keys" in _due(app, ON_THE_HOUR)
    assert "prune_idempotency_keys" not in _due(app, A_MINUTE_LATER)
    assert idempotency.prune in jobs.CATCH_UP


def test_the_scheduled_job_deletes_only_keys_older_than_the_retention(app, make_user):
    user = make_user("sales")
    with app.app_context():
        now = utcnow()
        for key, age in AGES.items():
            db.session.add(IdempotencyKey(user_id=user.id, key=key, method="POST", path="/x", status=200,
                                          created_at=now - age))
        db.session.commit()
    jobs.huey.execute(_due(app, ON_THE_HOUR)["prune_idempotency_keys"])  # as the consumer runs it
    with app.app_context():
        assert sorted(db.session.scalars(select(IdempotencyKey.key))) == ["kept-almost-eight", "kept-seven-days"]
