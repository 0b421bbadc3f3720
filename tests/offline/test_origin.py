"""Offline replays are recognised: via `offline` with the device time, only with an Idempotency-Key and a ticket."""
from datetime import datetime, timedelta, timezone

from flask_login import login_user

from webapp.offline.origin import parse_device_time, plausible, write_origin


def test_device_time_parses_iso_with_zone_and_refuses_junk():
    assert parse_device_time("2026-11-26T06:05:00.123Z") == datetime(2026, 11, 26, 6, 5, 0, 123000, timezone.utc)
    assert parse_device_time("2026-11-26T14:05:00+08:00") == datetime(2026, 11, 26, 6, 5, tzinfo=timezone.utc)
    assert parse_device_time("yesterday") is None
    assert parse_device_time(None) is None


def test_write_origin_is_offline_only_for_keyed_replays_with_a_ticket(app, client, login_as):
    """The queue's headers alone are not enough: the replay ticket of the logged-in user is needed too."""
    user = login_as("warehouse")
    device = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=2)
    headers = {"X-OrderHub-Via": "offline", "X-Device-Time": device.isoformat()}
    ticket = client.get("/offline/state.json").get_json()["replay"]
    keyed = headers | {"Idempotency-Key": "k" * 36}
    with app.test_request_context("/x", method="POST", headers=keyed | {"X-OrderHub-Replay": ticket}):
        login_user(user)
        assert write_origin() == ("offline", device)
    for bad in (headers | {"X-OrderHub-Replay": ticket}, keyed, keyed | {"X-OrderHub-Replay": ticket + "x"}):
        with app.test_request_context("/x", method="POST", headers=bad):
            login_user(user)
            assert write_origin() == ("web", None)
    with app.test_request_context("/x", method="POST"):
        assert write_origin("api") == ("api", None)


def test_implausible_device_times_are_dropped():
    now = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
    assert plausible(now - timedelta(days=2), now) == now - timedelta(days=2)
    assert plausible(now + timedelta(minutes=2), now) == now + timedelta(minutes=2)  # a clock a little ahead
    assert plausible(now + timedelta(hours=1), now) is None
    assert plausible(now - timedelta(days=30), now) is None
