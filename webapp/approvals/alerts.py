"""Who hears about an approval: the level now waiting (and delegates), the salesperson on a rejection,
and — when a level sits untouched past its rule's hours — the fallback approvers (escalation).

Escalation runs in the worker (sweep, every 5 minutes) with a controllable clock (`now`), like the
48-hour alarm. An escalated level may also be decided by its fallback: the next level's members,
or for the last level the holders of the `approve` action.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from webapp.access.policy import roles_with
from webapp.approvals import delegation
from webapp.approvals.models import ApprovalRequest
from webapp.audit import services as audit
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify.routing import HIGH, active_users
from webapp.notify.services import notify_user
from webapp.orders.models import Order


def approval_url(order) -> str:
    return f"/orders/{order.order_no}/approval"


def _say(user, order, topic: str, key: str, title, body: str = "", urgency: str = "normal") -> None:
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = title()
    notify_user(user, order, topic, key, urgency, title=text, url=approval_url(order),
                **({"body": body} if body else {}))


def waiting_users(request: ApprovalRequest, now=None) -> list:
    """Return who may decide the current level now: members, delegates, and the fallback once escalated."""
    level = request.chain[request.current_level]
    users = delegation.members(level) + delegation.delegates_of(level, now or utcnow())
    if request.escalated_level == request.current_level:
        users += fallback(request)
    decided = {d.actor_id for d in request.decisions}
    seen, out = set(), []
    for user in users:
        if user.id not in seen and user.id not in decided:
            seen.add(user.id)
            out.append(user)
    return out


def fallback(request: ApprovalRequest) -> list:
    """Return who takes over an escalated level: the next level's members, else those who may approve."""
    chain, index = request.chain, request.current_level
    if index + 1 < len(chain):
        return delegation.members(chain[index + 1])
    return active_users(*roles_with("approve"))


def level_waiting(order, request: ApprovalRequest) -> None:
    """Tell exactly the people the level now waiting is for (members, delegates), and why it waits."""
    for user in waiting_users(request):
        _say(user, order, "approval_needed", f"approval:{request.id}:{request.current_level}:{user.id}",
             lambda: _("Order %(no)s waits for your approval", no=order.order_no), request.reasons)


def routing_audience(order) -> list:
    """Who notify's routing should push when an order starts waiting: nobody when a chain applies (this
    domain tells that chain's first level itself, see level_waiting), else every approver."""
    from webapp.approvals.rules import chain_for
    return [] if chain_for(order) else active_users(*roles_with("approve"))


def rejected(order, reason: str, request_id: int) -> None:
    """Tell the salesperson their order came back, with the approver's reason."""
    user = order.salesperson
    if user is not None and user.is_active:
        _say(user, order, "approval_rejected", f"approval_rejected:{request_id}:{user.id}",
             lambda: _("Order %(no)s was sent back: %(reason)s", no=order.order_no, reason=reason), reason)


def sweep(now=None) -> int:
    """Escalate every open level older than its rule's hours (once per level); return how many."""
    now = now or utcnow()
    escalated = 0
    for request in db.session.scalars(select(ApprovalRequest).where(ApprovalRequest.status == "open")).all():
        if request.escalated_level >= request.current_level or \
                request.level_since + timedelta(hours=request.escalate_hours) > now:
            continue
        won = db.session.execute(update(ApprovalRequest).where(
            ApprovalRequest.id == request.id, ApprovalRequest.current_level == request.current_level,
            ApprovalRequest.escalated_level == request.escalated_level)
            .values(escalated_level=request.current_level).execution_options(synchronize_session=False))
        if won.rowcount != 1:
            continue
        db.session.refresh(request)
        order = db.session.get(Order, request.order_id)
        audit.record("approval_escalated", via="system", order_no=order.order_no, field="approval",
                     old=f"level {request.current_level + 1}", new=",".join(u.username for u in fallback(request)),
                     detail=f"{request.escalate_hours} h")
        for user in fallback(request):
            _say(user, order, "approval_escalated", f"approval_escalated:{request.id}:{request.current_level}:{user.id}",
                 lambda: _("Escalated: order %(no)s has waited %(h)d hours for approval", no=order.order_no,
                           h=request.escalate_hours), urgency=HIGH)
        db.session.commit()
        escalated += 1
    db.session.commit()
    return escalated
