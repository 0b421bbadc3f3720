"""Requests are signed the Standard Webhooks way, verifiable with the standard library; rotation overlaps 24 h."""
import json
from datetime import datetime, timedelta

from tests.factories import make_order
from tests.webhooks.helpers import drain
from tests.webhooks.receiver import signatures_valid, verified
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.webhooks import keys, services
from webapp.webhooks.models import WebhookEndpoint


def test_signature_verifies_with_the_standard_library(app, receiver, endpoint):
    _eid, secret, _user = endpoint("admin", ["order.created"])
    with app.app_context():
        order_no = make_order().order_no
        drain()
    [request] = receiver.received
    headers, body = request["headers"], request["body"]
    assert verified(secret, headers, body)
    assert not verified(keys.new_secret(), headers, body)
    assert not verified(secret, headers, body.replace(b"order.created", b"order.updated"))
    assert headers["webhook-id"].startswith("msg_") and headers["content-type"].startswith("application/json")
    event = json.loads(body)
    assert set(event) == {"type", "timestamp", "data"} and event["type"] == "order.created"
    assert datetime.fromisoformat(event["timestamp"]).utcoffset() == timedelta(0)
    assert event["data"]["order"]["order_no"] == order_no


def test_secret_is_whsec_base64_and_not_stored_in_clear(app, endpoint):
    eid, secret, _user = endpoint()
    assert secret.startswith("whsec_") and len(secret) == len("whsec_") + 44
    with app.app_context():
        stored = db.session.get(WebhookEndpoint, eid).secret
        assert secret not in stored and secret.removeprefix("whsec_") not in stored
        assert keys.unseal(stored) == secret
        app.config["SECRET_KEY"] = "another-key"
        try:
            keys.unseal(stored)
        except Exception as exc:  # a dump plus the wrong key reveals nothing
            assert type(exc).__name__ == "InvalidToken"
        else:
            raise AssertionError("decrypted with the wrong key")


def test_rotation_signs_with_both_secrets_for_24_hours_then_only_the_new_one(app, receiver, endpoint):
    eid, old, _user = endpoint("admin", ["order.created"])
    with app.app_context():
        new = services.rotate(db.session.get(WebhookEndpoint, eid))
        db.session.commit()
        make_order()
        drain()
        make_order()
        drain(now=utcnow() + timedelta(hours=24, minutes=1))
    during, after = receiver.received
    assert signatures_valid(new, during["headers"], during["body"]) == [True, False]
    assert signatures_valid(old, during["headers"], during["body"]) == [False, True]
    assert verified(old, during["headers"], during["body"]) and verified(new, during["headers"], during["body"])
    assert signatures_valid(new, after["headers"], after["body"]) == [True]
    assert not verified(old, after["headers"], after["body"])


def test_after_a_secret_key_change_rotating_makes_deliveries_work_again(app, receiver, endpoint):
    eid, _old, _user = endpoint("admin", ["order.created"])
    app.config["SECRET_KEY"] = "a-new-secret-key"
    with app.app_context():
        make_order()
        drain()
        assert receiver.received == []  # the stored secret cannot be read: nothing unsigned goes out
        new = services.rotate(db.session.get(WebhookEndpoint, eid))
        db.session.commit()
        drain(now=utcnow() + timedelta(seconds=11))
    [request] = receiver.received
    assert signatures_valid(new, request["headers"], request["body"]) == [True]
