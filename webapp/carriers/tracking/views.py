"""The aggregator's callback (POST /carriers/kuaidi100/callback) and the delivery-problems list for support.

The callback needs no login and no CSRF token: its signature (MD5 of param + our salt) is the proof.
"""
import logging

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user

from webapp.access.policy import policy_for
from webapp.core.render import render_screen
from webapp.extensions import db, login_manager

from webapp.carriers.tracking import services
from webapp.carriers.tracking.adapters import STATES, adapter, read_result

bp = Blueprint("carrier_tracking", __name__)
PROBLEM_ACTIONS = ("inquiries", "aftersales")
log = logging.getLogger(__name__)


@bp.post("/carriers/kuaidi100/callback")
def callback():
    """Verify and apply one tracking update; answer in the aggregator's JSON."""
    vendor = adapter()
    data = vendor.verify(request.form.get("param", ""), request.form.get("sign", ""))
    if data is None:
        log.warning("tracking callback refused: bad signature from %s", request.remote_addr)
        return jsonify(vendor.answer(False, "sign error")), 400
    try:
        update = read_result(data.get("lastResult") or {})
    except (ValueError, KeyError, TypeError):
        return jsonify(vendor.answer(False, "bad param")), 400
    parcel = services.find(update.company, update.number)
    if parcel is None:
        log.warning("tracking callback refused: unknown number %s %s", update.company, update.number)
        return jsonify(vendor.answer(False, "unknown number")), 404
    services.apply(parcel, update)
    db.session.commit()
    services.complete_if_delivered(parcel)
    return jsonify(vendor.answer(True, "成功"))


@bp.get("/carriers/problems")
def problems():
    """List parcels with an open delivery problem (疑难, 退签, 退回, 拒签) for support and after-sales."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    policy = policy_for(current_user)
    if not any(policy.can(action) for action in PROBLEM_ACTIONS):
        abort(403)
    parcels = [p for p in services.problems() if policy.can_see(p.order)]
    return render_screen("pages/carriers/problems.html", parcels=parcels, state_names=STATES)
