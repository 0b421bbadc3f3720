"""Push goes only to known push services or listed hosts: checked at subscribe time and again at delivery."""
import socket

import pytest
from sqlalchemy import select

from tests.factories import make_order
from tests.notify.helpers import drain, step
from tests.notify.pushservice import Device
from webapp.extensions import db
from webapp.notify.models import DeliveryAttempt, OutboxMessage, PushSubscription


def _subs(app):
    with app.app_context():
        return list(db.session.scalars(select(PushSubscription.endpoint)))


@pytest.mark.parametrize("endpoint", [
    "https://127.0.0.1:8443/push/x", "https://[::1]/push/x", "https://[::ffff:127.0.0.1]/x", "https://2130706433/x",
    "https://0x7f.1/x", "https://169.254.169.254/latest/meta-data", "https://10.0.0.5/x", "https://192.168.1.1/x",
    "https://fcm.googleapis.com:444/fcm/send/x", "http://fcm.googleapis.com/fcm/send/x",
    "https://attacker.example/x", "https://fcm.googleapis.com.attacker.example/x",
])
def test_subscribing_an_endpoint_that_is_no_push_service_is_a_friendly_400(app, client, login_as, endpoint):
    app.config["OUTBOUND_ALLOW"] = ""
    login_as("warehouse")
    resp = client.post("/notify/subscriptions", json=Device(endpoint).to_json(), headers={"Accept": "application/json"})
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["error"] == "invalid_subscription" and body["message"]
    assert _subs(app) == []


def test_a_renewed_subscription_is_checked_too(app, client, login_as, subscribe, push_service):
    user = login_as("warehouse")
    old = subscribe(user, "old")
    app.config["OUTBOUND_ALLOW"] = ""
    resp = client.post("/notify/subscriptions/renew",
                       json={"old": old.endpoint, "subscription": Device("https://10.0.0.5/push/new").to_json()})
    assert resp.status_code == 400 and _subs(app) == [old.endpoint]


def test_a_known_push_service_is_accepted_at_subscribe_time(app, client, login_as):
    login_as("warehouse")
    endpoint = "https://fcm.googleapis.com/fcm/send/dXJ0Zm9v"
    resp = client.post("/notify/subscriptions", json=Device(endpoint).to_json())
    assert resp.status_code == 201 and _subs(app) == [endpoint]


@pytest.fixture
def waiting(app, make_user, subscribe, push_service):
    """A warehouse user's device on the local push service and one push for it in the outbox."""
    user = make_user("warehouse", "wh_east", ["east"])
    subscribe(user, "east")
    with app.app_context():
        step(make_order().id, "confirmed")
    return user


def _attempts(app):
    with app.app_context():
        return [(a.outcome, a.detail) for a in db.session.scalars(select(DeliveryAttempt))]


def test_delivery_refuses_an_endpoint_no_longer_allowed_and_does_not_retry(app, waiting, push_service):
    app.config["OUTBOUND_ALLOW"] = ""  # stored while allowed (or written straight into the database)
    with app.app_context():
        drain()
        assert db.session.scalar(select(OutboxMessage.status)) == "sent"  # nothing left to try
    [(outcome, detail)] = _attempts(app)
    assert outcome == "refused" and "ORDERHUB_OUTBOUND_ALLOW" in detail
    assert push_service.received == []


def test_delivery_resolves_a_push_service_name_and_refuses_a_private_answer(app, make_user, push_service,
                                                                          monkeypatch):
    """A known push host whose DNS answer is internal (rebinding, a poisoned resolver) is never connected to."""
    user = make_user("warehouse", "wh_east", ["east"])
    device = Device("https://fcm.googleapis.com/fcm/send/rebound")
    with app.app_context():
        from webapp.notify import services
        services.subscribe(db.session.merge(user), device.to_json())
        db.session.commit()
        step(make_order().id, "confirmed")
    dialled = []
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host == "fcm.googleapis.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        dialled.append(host)
        return real(host, port, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    app.config["OUTBOUND_ALLOW"] = ""
    with app.app_context():
        drain()
    [(outcome, detail)] = _attempts(app)
    assert outcome == "refused" and "127.0.0.1" in detail and dialled == []
