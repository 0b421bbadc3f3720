"""POST/DELETE /notify/subscriptions (CSRF header, the user's own devices), the devices page, VAPID keys."""
import pytest
from sqlalchemy import select

from tests.notify.pushservice import Device
from webapp.extensions import db
from webapp.notify.models import PushSubscription


def _token(client) -> str:
    """Read the CSRF token from the body's hx-headers, as static/js/push-subscribe.js does."""
    import json
    import re
    page = client.get("/notify/devices").get_data(as_text=True)
    return json.loads(re.search(r"hx-headers='([^']+)'", page).group(1))["X-CSRFToken"]


def _subs(app):
    with app.app_context():
        return [(s.user.username, s.endpoint) for s in db.session.scalars(select(PushSubscription))]


def test_subscribe_and_unsubscribe_with_the_csrf_header(app, client, login_as):
    user = login_as("warehouse")
    app.config["WTF_CSRF_ENABLED"] = True
    device = Device("http://127.0.0.1:9/push/abc")
    assert client.post("/notify/subscriptions", json=device.to_json()).status_code == 400  # no token
    token = _token(client)
    resp = client.post("/notify/subscriptions", json=device.to_json(), headers={"X-CSRFToken": token})
    assert resp.status_code == 201
    assert _subs(app) == [(user.username, device.endpoint)]
    resp = client.delete("/notify/subscriptions", json={"endpoint": device.endpoint}, headers={"X-CSRFToken": token})
    assert resp.status_code == 204 and _subs(app) == []


def test_subscribing_needs_a_login(client):
    resp = client.post("/notify/subscriptions", json=Device("https://fcm.googleapis.com/fcm/send/x").to_json(),
                       headers={"Accept": "application/json"})
    assert resp.status_code == 401


@pytest.mark.parametrize("body", [
    {}, {"endpoint": "https://push.example/x"}, {"endpoint": "ftp://x/y", "keys": {"p256dh": "a" * 87, "auth": "b" * 22}},
    {"endpoint": "http://internal.example/x", "keys": {"p256dh": "a" * 87, "auth": "b" * 22}},
    {"endpoint": "https://push.example/x", "keys": {"p256dh": "short", "auth": "b" * 22}},
])
def test_malformed_subscriptions_are_refused(app, client, login_as, body):
    login_as("sales")
    resp = client.post("/notify/subscriptions", json=body)
    assert resp.status_code == 400 and _subs(app) == []


def test_the_same_device_moves_to_whoever_subscribes_it_last(app, client, login_as):
    device = Device("https://fcm.googleapis.com/fcm/send/shared")
    login_as("sales", username="first")
    client.post("/notify/subscriptions", json=device.to_json())
    client.post("/logout")
    login_as("sales", username="second")
    client.post("/notify/subscriptions", json=device.to_json())
    assert _subs(app) == [("second", device.endpoint)]


def test_devices_page_lists_own_devices_and_removes_them(app, client, login_as, make_user, subscribe):
    other = make_user("sales", "other")
    subscribe(other, "others-phone")
    me = login_as("manager")
    subscribe(me, "my-phone")
    page = client.get("/notify/devices").get_data(as_text=True)
    assert "my-phone" in page and "others-phone" not in page
    assert "data-push-enable" in page and "data-vapid-key=" in page and "Chrome · Android" in page
    with app.app_context():
        mine = db.session.scalar(select(PushSubscription.id).where(PushSubscription.user_id == me.id))
        theirs = db.session.scalar(select(PushSubscription.id).where(PushSubscription.user_id == other.id))
    assert client.post(f"/notify/devices/{theirs}/remove").status_code == 404
    assert client.post(f"/notify/devices/{mine}/remove").status_code == 302
    assert [u for u, _ in _subs(app)] == ["other"]


def test_renewed_subscription_replaces_the_old_endpoint(app, client, make_user, subscribe):
    user = make_user("manager", "boss")
    old = subscribe(user, "old")
    new = Device("https://fcm.googleapis.com/fcm/send/new")
    resp = client.post("/notify/subscriptions/renew", json={"old": old.endpoint, "subscription": new.to_json()})
    assert resp.status_code == 200 and _subs(app) == [("boss", new.endpoint)]
    assert client.post("/notify/subscriptions/renew", json={"old": "https://nope/x",
                                                            "subscription": new.to_json()}).status_code == 404


def test_vapid_key_is_generated_once_and_reused(app, tmp_path):
    from webapp.notify import vapid
    app.config["VAPID_KEY_FILE"] = str(tmp_path / "k.pem")
    first = vapid.public_key(app)
    vapid._cache.clear()
    assert vapid.public_key(app) == first and len(first) == 87
    assert (tmp_path / "k.pem").stat().st_mode & 0o077 == 0


def test_vapid_key_from_the_environment(app, monkeypatch):
    from py_vapid import Vapid02
    from webapp.notify import vapid
    key = Vapid02()
    key.generate_keys()
    monkeypatch.setenv("VAPID_PRIVATE_KEY", key.private_pem().decode())
    monkeypatch.setenv("VAPID_SUBJECT", "mailto:ops@shop.example")
    assert vapid.vapid(app).private_pem() == key.private_pem()
    assert vapid.subject(app) == "mailto:ops@shop.example"


def test_push_worker_code_is_served_fresh(client):
    resp = client.get("/sw-push.js")
    assert resp.status_code == 200 and resp.mimetype == "text/javascript"
    assert resp.headers["Cache-Control"] == "no-cache"
    body = resp.get_data(as_text=True)
    assert "showNotification" in body and "notificationclick" in body
