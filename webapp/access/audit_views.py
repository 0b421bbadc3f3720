"""Admin console: the audit log with filters (actor, order, action, write path, dates), newest first."""
from datetime import date

from flask import current_app, request, url_for
from flask_login import current_user

from webapp.access.policy import policy_for
from webapp.access.views import bp
from webapp.access import audit_display as display
from webapp.audit import services
from webapp.audit.labels import action_label
from webapp.core.labels import via_label
from webapp.core.render import render_screen
from webapp.core.timefmt import parse_day
from webapp.vocab import VIAS

PAGE = 50


def _day(name: str) -> date | None:
    try:
        return parse_day(request.args.get(name, ""))
    except ValueError:
        return None


def _filters() -> dict:
    args = request.args
    return {"actor": display.username_of(args.get("actor", "").strip()[:64]) or None,
            "order_no": args.get("order_no", "").strip()[:20] or None,
            "action": args.get("action") or None,
            "via": args.get("via") if args.get("via") in VIAS else None,
            "day_from": _day("from"), "day_to": _day("to")}


@bp.get("/admin/audit")
def audit_log():
    """Show the audit log (roles holding the audit_log action; checked by the blueprint's guard)."""
    filters = _filters()
    before = request.args.get("before", type=int)
    entries = services.search(**filters, before_id=before, limit=PAGE + 1,
                              tz=current_app.config["ORDERHUB_TZ"])
    more = len(entries) > PAGE
    entries = entries[:PAGE]
    older = url_for("access.audit_log", **{k: v for k, v in request.args.items() if k != "before"},
                    before=entries[-1].id) if more else None
    return render_screen("pages/audit/log.html", "partials/audit/_entries.html", entries=entries,
                         rows=display.rows(entries, policy_for(current_user)),
                         more=more, older_url=older, args=request.args, actions=services.actions(), vias=VIAS,
                         action_label=action_label, via_label=via_label)
