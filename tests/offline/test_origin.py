"""Offline replays are recognised: via `offline` with the device time, only with an Idempotency-Key."""
from datetime import datetime, timezone

from webapp.offline.origin import parse_device_time, write_origin


def test_device_time_parses_iso_with_zone_and_refuses_junk():
    assert parse_device_time("2026-11-26T06:05:00.123Z") == datetime(2026, 11, 26, 6, 5, 0, 123000, timezone.utc)
    assert parse_device_time("2026-11-26T14:05:00+08:00") == datetime(2026, 11, 26, 6, 5, tzinfo=timezone.utc)
    assert parse_device_time("yesterday") is None
    assert parse_device_time(None) is None


def test_write_origin_is_offline_only_for_keyed_replays(app):
    headers = {"X-OrderHub-Via": "offline", "X-Device-Time": "2026-11-26T06:05:00Z"}
    with app.test_request_context("/x", method="POST", headers=headers):
        assert write_origin() == ("web", None)
    with app.test_request_context("/x", method="POST", headers=headers | {"Idempotency-Key": "k" * 36}):
        via, at = write_origin()
        assert via == "offline" and at == datetime(2026, 11, 26, 6, 5, tzinfo=timezone.utc)
    with app.test_request_context("/x", method="POST"):
        assert write_origin("api") == ("api", None)
