"""The outbox is reliable: written with the change, claimed by one worker, delivered once, never lost."""
import os
import threading
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_order
from tests.notify import workers
from tests.notify.helpers import drain, step
from tests.waiting import wait_until
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import delivery, outbox
from webapp.notify.models import OutboxMessage


@pytest.fixture
def team(app, make_user):
    return make_user("sales", "seller"), make_user("warehouse", "packer", ["east"])


def _confirm_orders(app, seller, count: int) -> list[int]:
    with app.app_context():
        ids = [make_order(salesperson=seller).id for _ in range(count)]
        for oid in ids:
            step(oid, "confirmed")
    return ids


def _statuses(app) -> Counter:
    with app.app_context():
        return Counter(db.session.scalars(select(OutboxMessage.status)))


def _ids(push_service) -> Counter:
    return Counter(m["id"] for m in push_service.messages())


def test_only_one_of_two_claims_wins(app, team, subscribe):
    subscribe(team[1], "p")
    _confirm_orders(app, team[0], 1)
    with app.app_context():
        mid = db.session.scalar(select(OutboxMessage.id))
        assert outbox.claim(mid, "worker-a") is True
        assert outbox.claim(mid, "worker-b") is False


def test_an_expired_lease_passes_the_message_on_and_the_old_worker_cannot_close_it(app, team, subscribe):
    subscribe(team[1], "p")
    _confirm_orders(app, team[0], 1)
    with app.app_context():
        mid = db.session.scalar(select(OutboxMessage.id))
        assert outbox.claim(mid, "crashed")
        assert outbox.claim_next("other") is None  # still leased
        later = utcnow() + outbox.LEASE + timedelta(seconds=1)
        assert outbox.claim_next("other", now=later) == mid
        assert outbox.finish(mid, "crashed", "sent") is False
        assert outbox.finish(mid, "other", "sent") is True


def test_crash_after_sending_to_one_device_does_not_send_to_it_again(app, team, subscribe, push_service):
    subscribe(team[1], "phone")
    subscribe(team[1], "tablet")
    _confirm_orders(app, team[0], 1)
    with app.app_context():
        from webapp.notify import push
        from webapp.notify.models import PushSubscription
        mid = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.user_id == team[1].id))
        assert outbox.claim(mid, "crashing")
        phone = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint.like("%/phone")))
        message = db.session.get(OutboxMessage, mid)
        assert push.send(phone, message) == 201
        outbox.record_attempt(mid, "crashing", "ok", subscription_id=phone.id, status_code=201)
        # … the worker dies here, before finish(); another takes over once the lease runs out.
        drain(now=utcnow() + outbox.LEASE + timedelta(seconds=1))
        assert db.session.get(OutboxMessage, mid).status == "sent"
    paths = Counter(r["path"] for r in push_service.received)
    assert paths == {"/push/phone": 1, "/push/tablet": 1}


def test_concurrent_drains_deliver_each_message_once(app, team, subscribe, push_service):
    subscribe(team[1], "p")
    _confirm_orders(app, team[0], 24)

    def run():
        with app.app_context():
            delivery.drain()
    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = _ids(push_service)
    assert len(ids) == 24 and set(ids.values()) == {1}
    assert _statuses(app) == {"sent": 24}


def test_worker_once_delivers_what_accumulated(app, runner, team, subscribe, push_service):
    subscribe(team[1], "p")
    _confirm_orders(app, team[0], 3)
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert len(_ids(push_service)) == 3 and _statuses(app) == {"sent": 3}


def test_stopped_worker_loses_nothing_and_started_delivers_each_once(app, database_url, team, subscribe,
                                                                      push_service, tmp_path):
    queue = str(tmp_path / "huey.db")
    app.config["HUEY_FILE"] = queue
    subscribe(team[0], "seller")
    subscribe(team[1], "packer")
    _confirm_orders(app, team[0], 5)  # no worker runs: everything waits in the outbox and the queue
    assert push_service.received == [] and _statuses(app) == {"pending": 10}
    proc = workers.start(app, database_url, ORDERHUB_HUEY_FILE=queue)
    try:
        wait_until(lambda: _statuses(app) == {"sent": 10}, timeout=30, message=lambda: workers.output(proc))
    finally:
        output = workers.stop(proc)  # a stopped worker has finished every send it began
    ids = _ids(push_service)
    assert len(ids) == 10 and set(ids.values()) == {1}, output
    assert _statuses(app) == {"sent": 10}


def test_two_workers_on_postgresql_and_redis_never_deliver_twice(app, backend, database_url, team, subscribe,
                                                                  push_service):
    redis_url = os.environ.get("REDIS_TEST_URL")
    if backend != "postgresql" or not redis_url:
        pytest.skip("needs TEST_DATABASE_URL and REDIS_TEST_URL")
    name = f"orderhub-test-{uuid.uuid4().hex[:8]}"
    app.config.update(HUEY_REDIS_URL=redis_url, HUEY_NAME=name)
    subscribe(team[0], "seller")
    subscribe(team[1], "packer")
    procs = [workers.start(app, database_url, REDIS_URL=redis_url, ORDERHUB_HUEY_NAME=name) for _ in range(2)]
    try:
        for proc in procs:
            wait_until(lambda: workers.consuming(proc), timeout=30, message=lambda: workers.output(proc))
        _confirm_orders(app, team[0], 30)
        with app.app_context():  # extra wake-ups: both workers race for the same rows
            from webapp import jobs
            from webapp.notify.tasks import deliver_due
            for _ in range(10):
                jobs.enqueue(deliver_due)
        wait_until(lambda: _statuses(app) == {"sent": 60}, timeout=60, message=lambda: _statuses(app))
    finally:
        outputs = [workers.stop(p) for p in procs]
        with app.app_context():
            from webapp import jobs
            jobs.bind(app).storage.flush_all()
    ids = _ids(push_service)
    assert len(ids) == 60 and set(ids.values()) == {1}, outputs
    assert _statuses(app) == {"sent": 60}
    with app.app_context():
        claimers = set(db.session.scalars(select(OutboxMessage.claimed_by)))
    assert len({c.split(":")[1] for c in claimers}) == 2, "both workers should have delivered some"
