"""Shop push: POST /intake/push/<channel>, an order signed with the channel's secret (Standard Webhooks).

The sender signs like our own outgoing webhooks: headers webhook-id, webhook-timestamp and
webhook-signature (v1, HMAC-SHA256 over "id.timestamp.body"). A bad signature and a timestamp more
than 5 minutes off are refused (401); a second push of the same (channel, external id) answers
200 with the existing order and creates nothing. The generic JSON body:
{"external_id", "customer_name", "customer_phone", "address", "notes", "items": [{"sku", "quantity"}]}.
Orders are written by the channel's service user through the one write service (via=intake).
A channel whose settings name a `push_format` (有赞: webapp.intake.push_platforms) is verified and
mapped the way that platform pushes instead.
"""
import json

from flask import Blueprint, jsonify, request
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.intake import push_platforms, services
from webapp.intake.models import Channel
from webapp.webhooks import keys

bp = Blueprint("intake_push", __name__)
FIELDS = ("external_id", "customer_name", "customer_phone", "address", "notes")
MAX_BODY = 256 * 1024


def _refuse(status: int, error: str, message: str):
    return jsonify({"error": error, "message": message}), status


def verify(channel: Channel, body: bytes, headers) -> dict:
    """Return the pushed JSON if the channel's secret signed it within 5 minutes; else raise ValueError."""
    try:
        return Webhook(keys.unseal(channel.secret)).verify(body, dict(headers))
    except (WebhookVerificationError, ValueError, TypeError) as exc:
        raise ValueError(str(exc) or "bad signature") from exc


def draft(payload: dict) -> services.Draft:
    """The order a push asks for (the generic mapping)."""
    raw = {k: str(payload.get(k) or "") for k in FIELDS}
    items = payload.get("items") if isinstance(payload.get("items"), list) else []
    lines = [{"sku": str(i.get("sku") or ""), "quantity": i.get("quantity")} for i in items if isinstance(i, dict)]
    problems = [] if raw["external_id"] else ["external_id: required"]
    return services.Draft(0, raw, lines, source=json.dumps(payload, ensure_ascii=False)[:4000], problems=problems)


@bp.post("/intake/push/<code>")
def receive(code):
    """Create the pushed order once; answer JSON with its number."""
    channel = db.session.scalar(select(Channel).where(Channel.code == code, Channel.active.is_(True)))
    if channel is None or not channel.secret or channel.user is None:
        return _refuse(404, "unknown_channel", "No channel accepts pushes here.")
    body = request.get_data(cache=False)[:MAX_BODY + 1]
    if len(body) > MAX_BODY:
        return _refuse(413, "too_large", "The body is larger than 256 kB.")
    platform = push_platforms.format_of(channel)  # a real shop platform's format, else the generic mapping
    check, mapping = (platform.verify, platform.draft) if platform else (verify, draft)
    try:
        payload = check(channel, body, request.headers)
    except ValueError as exc:
        return _refuse(401, "bad_signature", f"Refused: {exc}.")
    if not isinstance(payload, dict):
        return _refuse(422, "invalid", "The body must be a JSON object.")
    wanted = mapping(payload)
    if wanted is None:  # a platform event that creates no order
        return jsonify({"status": "ignored", "code": 0, "msg": "success"}), 200
    started = utcnow()
    outcome = services.apply([wanted], code, channel.user)
    db.session.rollback()
    services.log_run(outcome, channel=code, source="push", user=channel.user, started=started)
    if outcome.failed:
        return _refuse(422, "invalid", outcome.errors[0][1])
    status, state = (201, "created") if outcome.created else (200, "existing")
    return jsonify({"status": state, "order_no": outcome.orders.get(0)}), status
