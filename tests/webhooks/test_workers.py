"""Real `flask worker` processes: queued events reach the receiver; two workers on PostgreSQL + Redis send each once."""
import os
import uuid
from collections import Counter

import pytest

from tests.factories import make_order
from tests.notify import workers
from tests.notify.helpers import step
from tests.waiting import wait_until
from tests.webhooks.helpers import statuses


def _changes(app, count: int) -> None:
    """Create and confirm `count` orders: two events each, in order per order."""
    with app.app_context():
        for _ in range(count):
            step(make_order().id, "confirmed")


def _check_each_once_and_in_order(receiver, total: int) -> None:
    ids = Counter(r["headers"]["webhook-id"] for r in receiver.received)
    assert len(ids) == total and set(ids.values()) == {1}
    per_order = {}
    for event in receiver.events():
        per_order.setdefault(event["data"]["order"]["order_no"], []).append(event["type"])
    assert set(map(tuple, per_order.values())) == {("order.created", "order.status_changed")}


def test_a_worker_started_later_sends_what_waited(app, database_url, receiver, endpoint, tmp_path):
    queue = str(tmp_path / "huey.db")
    app.config["HUEY_FILE"] = queue
    endpoint("admin", ["order.created", "order.status_changed"])
    _changes(app, 3)
    assert receiver.received == [] and set(statuses(app)) == {"pending"}
    proc = workers.start(app, database_url, ORDERHUB_HUEY_FILE=queue, ORDERHUB_OUTBOUND_ALLOW=receiver.allow)
    try:
        wait_until(lambda: statuses(app) == ["sent"] * 6, timeout=30, message=lambda: workers.output(proc))
    finally:
        output = workers.stop(proc)
    assert len(receiver.received) == 6, output
    _check_each_once_and_in_order(receiver, 6)


def test_two_workers_on_postgresql_and_redis_send_each_event_once(app, backend, database_url, receiver, endpoint):
    redis_url = os.environ.get("REDIS_TEST_URL")
    if backend != "postgresql" or not redis_url:
        pytest.skip("needs TEST_DATABASE_URL and REDIS_TEST_URL")
    name = f"orderhub-test-{uuid.uuid4().hex[:8]}"
    app.config.update(HUEY_REDIS_URL=redis_url, HUEY_NAME=name)
    endpoint("admin", ["order.created", "order.status_changed"])
    procs = [workers.start(app, database_url, REDIS_URL=redis_url, ORDERHUB_HUEY_NAME=name,
                           ORDERHUB_OUTBOUND_ALLOW=receiver.allow) for _ in range(2)]
    try:
        for proc in procs:
            wait_until(lambda: workers.consuming(proc), timeout=30, message=lambda: workers.output(proc))
        _changes(app, 30)
        with app.app_context():  # extra wake-ups: both workers race for the same rows
            from webapp import jobs
            from webapp.notify.tasks import deliver_due
            for _ in range(10):
                jobs.enqueue(deliver_due)
        wait_until(lambda: statuses(app) == ["sent"] * 60, timeout=90, message=lambda: Counter(statuses(app)))
    finally:
        outputs = [workers.stop(p) for p in procs]
        with app.app_context():
            from webapp import jobs
            jobs.bind(app).storage.flush_all()
    assert len(receiver.received) == 60, outputs
    _check_each_once_and_in_order(receiver, 60)
