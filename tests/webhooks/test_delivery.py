"""Delivery through the outbox: backoff retries, order kept per order, give-up and disable after 24 h, redeliver."""
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import select

from tests.factories import make_order
from tests.notify.helpers import step
from tests.webhooks.helpers import deliveries, drain, statuses
from webapp.audit.models import AuditEntry
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import delivery
from webapp.notify.models import OutboxMessage, PushSubscription
from webapp.webhooks import services
from webapp.webhooks.models import WebhookDelivery, WebhookEndpoint


def _next_due(app):
    with app.app_context():
        return db.session.scalar(select(OutboxMessage.next_attempt_at).where(OutboxMessage.status == "pending")
                                 .order_by(OutboxMessage.next_attempt_at).limit(1))


def test_failures_retry_with_exponential_backoff_then_succeed(app, receiver, endpoint):
    endpoint("admin", ["order.created"])
    receiver.statuses = [500, 503]
    with app.app_context():
        make_order()
        t0 = utcnow()
        drain(now=t0)
        assert drain(now=t0 + timedelta(seconds=9)) == 0  # not due yet
    first_retry = _next_due(app)
    assert timedelta(seconds=9) < first_retry - t0 <= timedelta(seconds=11)
    with app.app_context():
        drain(now=first_retry)
    assert timedelta(seconds=19) < _next_due(app) - first_retry <= timedelta(seconds=21)  # doubled
    with app.app_context():
        drain(now=_next_due(app))
    assert [r["status"] for r in receiver.received] == [500, 503, 200]
    assert len({r["headers"]["webhook-id"] for r in receiver.received}) == 1  # the same event each time
    assert len({r["body"] for r in receiver.received}) == 1
    assert deliveries(app) == [("order.created", deliveries(app)[0][1], "sent", 3, 200)]


def test_an_order_s_next_event_waits_until_the_earlier_one_got_through(app, receiver, endpoint):
    endpoint("admin", ["order.created", "order.status_changed"])
    receiver.statuses = [500]
    with app.app_context():
        first = make_order()
        first_no = first.order_no
        step(first.id, "confirmed")
        t0 = utcnow()
        drain(now=t0)  # created fails; status_changed of the same order must not overtake it
        other = make_order().order_no
        drain()  # another order is not held up
        drain(now=t0 + timedelta(seconds=11))
    sent = [(e["type"], e["data"]["order"]["order_no"]) for e in receiver.events()]
    assert sent == [("order.created", first_no), ("order.created", other),
                    ("order.created", first_no), ("order.status_changed", first_no)]
    assert set(statuses(app)) == {"sent"}
    assert [d[3] for d in deliveries(app)] == [2, 1, 1]  # waiting is no attempt


def test_gives_up_24_hours_after_the_change(app, receiver, endpoint):
    endpoint("admin", ["order.created"])
    receiver.statuses = [500] * 100
    with app.app_context():
        make_order()
        created = utcnow()
        drain(now=created)
        while (due := _next_due(app)) is not None:
            drain(now=due)
        record = db.session.scalar(select(WebhookDelivery))
        assert record.message.status == "failed"
        assert created + timedelta(hours=22) < record.last_attempt_at <= created + timedelta(hours=24)
    assert 20 <= len(receiver.received) <= 40


def test_an_endpoint_failing_for_24_hours_is_disabled_and_admins_are_alerted(app, receiver, endpoint, client,
                                                                              login_as):
    eid, _secret, admin = endpoint("admin", ["order.created"])
    receiver.statuses = [500] * 10
    with app.app_context():
        db.session.add(PushSubscription(user_id=admin.id, endpoint="https://push.example/d", p256dh="B" * 87,
                                        auth="a" * 22))
        db.session.commit()
        make_order()
        t0 = utcnow()
        drain(now=t0)
        assert db.session.get(WebhookEndpoint, eid).failing_since == t0
        make_order()
        drain(now=t0 + timedelta(hours=24, seconds=1))
        ep = db.session.get(WebhookEndpoint, eid)
        assert not ep.active and ep.disabled_reason.startswith("HTTP 500")
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "webhook_disabled"))
        alert = db.session.scalar(select(OutboxMessage).where(OutboxMessage.topic == "webhook_disabled"))
        assert alert.medium == "push" and alert.user_id == admin.id and str(eid) in alert.payload
    assert statuses(app) == ["failed", "skipped"] and len(receiver.received) == 2
    login_as("admin")
    page = client.get("/admin/webhooks").get_data(as_text=True)
    assert 'role="alert"' in page and receiver.url in page


def test_success_clears_the_failing_streak(app, receiver, endpoint):
    eid, _secret, _user = endpoint("admin", ["order.created"])
    receiver.statuses = [500]
    with app.app_context():
        make_order()
        t0 = utcnow()
        drain(now=t0)
        drain(now=t0 + timedelta(seconds=11))
        assert db.session.get(WebhookEndpoint, eid).failing_since is None


def test_redeliver_sends_the_same_event_again(app, receiver, endpoint):
    endpoint("admin", ["order.created"])
    with app.app_context():
        make_order()
        drain()
        again = services.redeliver(db.session.scalar(select(WebhookDelivery)))
        db.session.commit()
        assert again is not None
        drain()
    first, second = receiver.received
    assert first["body"] == second["body"]
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    assert statuses(app) == ["sent", "sent"]


def test_concurrent_drains_send_each_event_once(app, receiver, endpoint):
    endpoint("admin", ["order.created", "order.status_changed"])
    with app.app_context():
        for _ in range(12):
            step(make_order().id, "confirmed")

    def one_worker(_n):
        with app.app_context():
            return delivery.drain()
    with ThreadPoolExecutor(4) as pool:
        assert sum(pool.map(one_worker, range(4))) >= 24
    with app.app_context():  # a held-back event may wait half a second for its predecessor
        while _next_due(app) is not None:
            drain(now=_next_due(app))
    ids = Counter(r["headers"]["webhook-id"] for r in receiver.received)
    assert len(ids) == 24 and set(ids.values()) == {1}
    per_order = {}
    for event in receiver.events():
        per_order.setdefault(event["data"]["order"]["order_no"], []).append(event["type"])
    assert set(map(tuple, per_order.values())) == {("order.created", "order.status_changed")}
