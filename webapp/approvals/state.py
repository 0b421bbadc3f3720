"""The approval and risk state of one order, as the order page and the approval screen show it.

Installed as the template global `approval_state(order)`; the order page includes
partials/approvals/_order_panel.html, which calls it.
"""
from datetime import timedelta

from flask_login import current_user
from sqlalchemy import select

from webapp.approvals import alerts, holds, services
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders.models import Order


def _order(order):
    """Accept the model or its projection (a dict with order_no); the page has loaded the model already."""
    if isinstance(order, Order):
        return order
    loaded = next((o for o in db.session.identity_map.values()
                   if isinstance(o, Order) and o.order_no == order["order_no"]), None)
    return loaded or db.session.scalar(select(Order).where(Order.order_no == order["order_no"]))


def approval_state(order) -> dict:
    """Return levels (who, since when, decided by whom), why, the escalation clock and the holds."""
    order = _order(order)
    if order is None:
        return {}
    request = services.latest_request(order)
    levels, may_decide, escalate_at = [], False, None
    if request is not None:
        decided: dict[int, list] = {}
        for d in request.decisions:
            decided.setdefault(d.level, []).append(d)
        for i, level in enumerate(request.chain):
            waiting = request.status == "open" and i == request.current_level
            status = "waiting" if waiting else ("done" if i in decided else "later")
            levels.append({"n": i + 1, "label": services.level_label(level), "status": status,
                           "decision": None if waiting else (decided.get(i) or [None])[-1],
                           "so_far": decided.get(i, []) if waiting else []})
        if request.status == "open" and request.current_level < len(request.chain):
            escalate_at = request.level_since + timedelta(hours=request.escalate_hours)
            user = current_user if getattr(current_user, "is_authenticated", False) else None
            waiting = alerts.waiting_users(request)
            may_decide = user is not None and user.id in {u.id for u in waiting}
            levels[request.current_level]["next"] = [u.display_name or u.username for u in waiting]
    all_holds = holds.all_holds(order)
    return {"request": request, "levels": levels, "may_decide": may_decide, "escalate_at": escalate_at,
            "overdue": escalate_at is not None and escalate_at < utcnow(),
            "holds": all_holds, "open_holds": [h for h in all_holds if h.status == "open"],
            "hold_label": holds.label, "version": order.version, "order_no": order.order_no}
