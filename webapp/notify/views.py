"""Push subscriptions (JSON), the "my devices" page, the SMS log for admins, the push service-worker code."""
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, redirect, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.access.policy import policy_for, require
from webapp.core.errors import error_response
from webapp.core.render import render_screen
from webapp.extensions import csrf, db
from webapp.notify import services, smslog
from webapp.notify.models import OutboxMessage, SmsRecord
from webapp.notify.vapid import public_key

bp = Blueprint("notify", __name__)
SW_DIR = Path(__file__).resolve().parents[2] / "service_worker"


bp.add_app_template_global(services.device_label, "device_label")


@bp.post("/notify/subscriptions")
@login_required
def subscribe():
    """Store the PushSubscription.toJSON() of the user's device."""
    try:
        sub = services.subscribe(current_user, request.get_json(silent=True) or {},
                                 request.user_agent.string)
    except services.SubscriptionError as exc:
        return error_response(400, str(exc), code="invalid_subscription")
    db.session.commit()
    return jsonify(id=sub.id, endpoint=sub.endpoint), 201


@bp.delete("/notify/subscriptions")
@login_required
def unsubscribe():
    """Drop the user's device with this endpoint."""
    endpoint = (request.get_json(silent=True) or {}).get("endpoint")
    removed = services.unsubscribe(current_user, endpoint=endpoint) if isinstance(endpoint, str) else 0
    db.session.commit()
    return ("", 204) if removed else error_response(404)


@bp.post("/notify/subscriptions/renew")
@csrf.exempt  # sent by the service worker; knowing the old (secret) endpoint is the proof
def renew():
    """Replace a device's rotated subscription (pushsubscriptionchange) for the same user."""
    body = request.get_json(silent=True) or {}
    try:
        sub = services.renew(body.get("old"), body.get("subscription") or {})
    except services.SubscriptionError as exc:
        return error_response(400, str(exc), code="invalid_subscription")
    if sub is None:
        return error_response(404)
    db.session.commit()
    return jsonify(id=sub.id), 200


@bp.get("/notify/devices")
@login_required
def devices():
    """Show the user's devices and the control that turns notifications on for this one."""
    return render_screen("pages/notify/devices.html", devices=services.devices(current_user),
                         vapid_key=public_key(current_app))


@bp.post("/notify/devices/<int:sub_id>/remove")
@login_required
def remove_device(sub_id: int):
    """Remove one of the user's devices (someone else's is not found)."""
    if not services.unsubscribe(current_user, sub_id=sub_id):
        abort(404)
    db.session.commit()
    return redirect(url_for("notify.devices"))


@bp.get("/notify/sms")
@login_required
def sms_log():
    """List the SMS handed to the gateway and the latest outbox messages (admins and managers)."""
    require("sms_log")
    records = db.session.scalars(select(SmsRecord).order_by(SmsRecord.id.desc()).limit(200)).all()
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(50)).all()
    policy = policy_for(current_user)
    return render_screen("pages/notify/sms.html", records=smslog.sms_rows(records, policy),
                         messages=smslog.outbox_rows(messages, policy))


@bp.get("/sw-push.js")
def push_worker_code():
    """Serve the push half of the service worker (sw.js imports it)."""
    return _script("push.js")


def _script(name: str):
    resp = send_file(SW_DIR / name, mimetype="text/javascript", max_age=0)
    resp.headers["Cache-Control"] = "no-cache"
    return resp
