"""Where a write came from: the offline queue marks its replays, so audit entries say `offline`
with the device time (the sync time is the entry's own `at`)."""
from datetime import datetime, timezone

import re

from flask import has_request_context, request

from webapp.core.origin import set_request_via

VIA_HEADER = "X-OrderHub-Via"
DEVICE_TIME_HEADER = "X-Device-Time"
ORDER_URL = re.compile(r"/(?:orders|pack)/([A-Za-z0-9_-]{3,20})(?:/|$)")


def parse_device_time(text: str | None) -> datetime | None:
    """Parse an ISO 8601 device time; naive times are taken as UTC; junk gives None."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def write_origin(default: str = "web") -> tuple[str, datetime | None]:
    """Return (via, device_at) for the current request: ("offline", device time) for queued replays.

    Views pass these to the write service: `services.transition(..., via=via, device_at=device_at)`.
    A replay is recognised by the queue's headers, which always come with an Idempotency-Key.
    """
    if not has_request_context():
        return default, None
    if request.headers.get(VIA_HEADER) == "offline" and request.headers.get("Idempotency-Key"):
        return "offline", parse_device_time(request.headers.get(DEVICE_TIME_HEADER))
    return default, None


def _order_no_of(resp) -> str | None:
    """Name the order a request was about: its URL's order_no, else where a creation redirected to."""
    order_no = (request.view_args or {}).get("order_no")
    if order_no:
        return order_no
    match = ORDER_URL.search(resp.headers.get("Location") or "")
    return match.group(1) if match else None


def record_sync(resp, actor) -> None:
    """Audit a first-time offline replay that succeeded: via offline, device time, sync time (`at`)."""
    via, device_at = write_origin()
    if via != "offline" or resp.status_code >= 400:
        return
    from webapp.audit import services as audit
    audit.record("offline_sync", actor=actor, via="offline", order_no=_order_no_of(resp),
                 detail=f"{request.method} {request.path} → {resp.status_code}", device_at=device_at)


def bind_device_time() -> None:
    """Before a request: let every audit entry of an offline replay carry the device time."""
    from webapp.audit.services import replay_device_time
    via, device_at = write_origin()
    if via == "offline":
        set_request_via("offline")
    request.environ["orderhub.device_token"] = replay_device_time.set(device_at if via == "offline" else None)


def unbind_device_time(_exc=None) -> None:
    """After a request: forget the device time (threads serve many requests)."""
    from webapp.audit.services import replay_device_time
    token = request.environ.pop("orderhub.device_token", None)
    if token is not None:
        replay_device_time.reset(token)
