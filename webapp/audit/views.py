"""Audit log for admins (with filters) and an order's history timeline (htmx fragment)."""
from datetime import date

from flask import Blueprint, abort, current_app, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.access.policy import policy_for
from webapp.audit import hooks  # noqa: F401  (connects the login/logout signals)
from webapp.audit import services
from webapp.audit.history import history_for
from webapp.audit.labels import action_label, via_label
from webapp.core.render import render_screen
from webapp.extensions import db
from webapp.orders.models import Order

bp = Blueprint("audit", __name__)
PAGE = 50


@bp.app_template_global("order_history")
def order_history(order_no: str) -> list:
    """Return the order's history for the logged-in viewer (for `{% include "partials/audit/_history.html" %}`)."""
    return history_for(order_no, policy_for(current_user)) if current_user.is_authenticated else []


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _filters() -> dict:
    args = request.args
    return {"actor": args.get("actor", "").strip()[:64] or None,
            "order_no": args.get("order_no", "").strip()[:20] or None,
            "action": args.get("action") or None,
            "via": args.get("via") if args.get("via") in services.CHANNELS else None,
            "day_from": _day("from"), "day_to": _day("to")}


@bp.get("/admin/audit")
@login_required
def log():
    """Show the audit log, newest first, filtered by actor, order, action, channel and dates (admins only)."""
    if current_user.role_code != "admin":
        abort(403)
    filters = _filters()
    before = request.args.get("before", type=int)
    entries = services.search(**filters, before_id=before, limit=PAGE + 1,
                              tz=current_app.config["ORDERHUB_TZ"])
    more = len(entries) > PAGE
    entries = entries[:PAGE]
    older = url_for("audit.log", **{k: v for k, v in request.args.items() if k != "before"},
                    before=entries[-1].id) if more else None
    return render_screen("pages/audit/log.html", "partials/audit/_entries.html", entries=entries,
                         more=more, older_url=older, args=request.args,
                         actions=services.actions(), channels=services.CHANNELS,
                         action_label=action_label, via_label=via_label)


@bp.get("/audit/orders/<order_no>/history")
@login_required
def history(order_no: str):
    """Return an order's history timeline, only what the viewer may read (for hx-get on the order page)."""
    policy = policy_for(current_user)
    order = db.session.scalar(select(Order).where(Order.order_no == order_no))
    if order is None or not policy.can_see(order):
        abort(404)
    return render_screen("partials/audit/_history.html", history=history_for(order_no, policy))
