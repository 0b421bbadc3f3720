"""Where a write came from: the offline queue marks its replays, so audit entries say `offline`
with the device time (the sync time is the entry's own `at`).

Only a real replay may say so: besides the queue's headers (X-OrderHub-Via: offline, an
Idempotency-Key) it carries a replay ticket that /offline/state.json hands the logged-in user's
device right before it replays, signed by the server for that user. Any other request — a form
post carrying the same headers included — writes as `web` with no device time. A device time in
the future or older than the longest offline spell kept is dropped (the replay stays `offline`).
"""
import re
from datetime import datetime, timedelta, timezone

from flask import current_app, has_request_context, request
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from webapp.core.origin import set_request_via

VIA_HEADER = "X-OrderHub-Via"
DEVICE_TIME_HEADER = "X-Device-Time"
TICKET_HEADER = "X-OrderHub-Replay"
TICKET_SALT = "orderhub.offline-replay"
TICKET_MAX_AGE = 12 * 3600  # seconds; the device asks for a fresh ticket before every replay run
CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock may run a little ahead
OLDEST_DEVICE_TIME = timedelta(days=7)
ORDER_URL = re.compile(r"/(?:orders|pack)/([A-Za-z0-9_-]{3,20})(?:/|$)")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TICKET_SALT)


def replay_ticket(user) -> str:
    """Return a replay ticket for this user's device (sent back as X-OrderHub-Replay)."""
    return _serializer().dumps({"u": user.id})


def _ticket_is_valid(text: str | None) -> bool:
    """Say whether the request's replay ticket is the server's, recent, and for the logged-in user."""
    if not text or not current_user.is_authenticated:
        return False
    try:
        data = _serializer().loads(text, max_age=TICKET_MAX_AGE)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("u") == current_user.id


def plausible(device_at: datetime | None, now: datetime) -> datetime | None:
    """Keep a device time only when it lies between OLDEST_DEVICE_TIME ago and now (plus clock skew)."""
    if device_at is None or not now - OLDEST_DEVICE_TIME <= device_at <= now + CLOCK_SKEW:
        return None
    return device_at


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
    A replay is recognised by the queue's headers with an Idempotency-Key and a valid replay ticket.
    """
    if not has_request_context():
        return default, None
    if "orderhub.replay" not in request.environ:
        request.environ["orderhub.replay"] = (
            request.headers.get(VIA_HEADER) == "offline" and bool(request.headers.get("Idempotency-Key"))
            and _ticket_is_valid(request.headers.get(TICKET_HEADER)))
    if request.environ["orderhub.replay"]:
        device_at = parse_device_time(request.headers.get(DEVICE_TIME_HEADER))
        return "offline", plausible(device_at, datetime.now(timezone.utc))
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
