"""Approval chains: open one when an order enters awaiting_approval, decide a level, restart on a change.

A decision is one row per (request, level) — the unique key lets exactly one of two concurrent
decisions count — plus a conditional UPDATE of the request's current level, an audit entry naming
the approver, the level and the reason, and on the last level (or a rejection) the order's state
step, taken through the one write service by the system on the approver's behalf: the approver's
role need not hold the step itself (finance approves its level without the `approve` action).
"""
import json

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from webapp.approvals import alerts, delegation
from webapp.approvals.models import ApprovalDecision, ApprovalRequest
from webapp.approvals.rules import chain_for, rule_name
from webapp.audit import services as audit
from webapp.auth.models import Role, User
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders import services as orders
from webapp.orders.errors import Conflict, Forbidden, Invalid, OrderError

DECISIONS = ("approve", "reject")


class NothingToDecide(OrderError):
    """No approval is waiting on this order (decided already, or it never needed one)."""

    def __init__(self, order_no):
        super().__init__(409, _l("No approval is waiting on this order."), "no_approval", order_no=order_no)


def open_request(order) -> ApprovalRequest | None:
    """Return the order's open approval request, if any."""
    return db.session.scalar(select(ApprovalRequest).where(ApprovalRequest.order_id == order.id,
                                                           ApprovalRequest.status == "open")
                             .execution_options(populate_existing=True))


def latest_request(order) -> ApprovalRequest | None:
    """Return the order's most recent approval request (open or closed)."""
    return db.session.scalar(select(ApprovalRequest).where(ApprovalRequest.order_id == order.id)
                             .order_by(ApprovalRequest.id.desc()).limit(1))


def start(order, *, actor=None, via: str = "system", now=None) -> ApprovalRequest | None:
    """Record the chain the order needs now (its rules as they stand); None when it needs none."""
    chain = chain_for(order)
    if not chain:
        return None
    now = now or utcnow()
    request = ApprovalRequest(order_id=order.id, status="open", rules=",".join(r.code for r in chain.rules),
                              reasons="; ".join(rule_name(r) for r in chain.rules),
                              chain_json=json.dumps(chain.levels, ensure_ascii=False), current_level=0,
                              escalate_hours=chain.escalate_hours, escalated_level=-1, level_since=now,
                              created_at=now, closed_reason="")
    db.session.add(request)
    db.session.flush()
    audit.record("approval_requested", actor=actor, via=via, order_no=order.order_no, field="approval",
                 new=request.chain_json, detail=request.reasons)
    return request


def close(request: ApprovalRequest, status: str, reason: str = "", now=None) -> None:
    """Close an open request (approved, rejected, superseded, cancelled)."""
    request.status, request.closed_at, request.closed_reason = status, now or utcnow(), reason or ""


def restart(order, *, actor, via: str) -> ApprovalRequest | None:
    """After a money change on a waiting order: drop the decisions so far and evaluate the rules again."""
    current = open_request(order)
    if current is not None:
        close(current, "superseded", "amounts changed")
    fresh = start(order, actor=actor, via=via)
    audit.record("approval_restarted", actor=actor, via=via, order_no=order.order_no, field="approval",
                 old=current.chain_json if current else None, new=fresh.chain_json if fresh else "[]")
    return fresh


def level_label(level: dict) -> str:
    """Name a level as people read it: the role's name (in the current language) or the user's name."""
    if level.get("user"):
        user = db.session.scalar(select(User).where(User.username == level["user"]))
        return (user.display_name or user.username) if user else level["user"]
    role = db.session.get(Role, level.get("role", ""))
    locale = get_locale()
    name = role.label(getattr(locale, "language", "zh")) if role else level.get("role", "")
    return str(_l("all of %(who)s", who=name)) if level.get("all") else name


def decide(order_no: str, decision: str, *, actor, version=None, reason: str = "", via: str = "web",
           now=None):
    """Record `actor`'s decision on the level now waiting; move the order when the chain ends.

    Refusals: stale version → Conflict 409; not the actor's level (or already decided by them) →
    Forbidden 403; a rejection without reason → Invalid 422; nothing waiting → 409.
    """
    if decision not in DECISIONS:
        raise Invalid({"decision": _l("Choose approve or reject.")})
    reason = (reason or "").strip()
    if decision == "reject" and not reason:
        raise Invalid({"reason": _l("Give a reason for rejecting.")})
    order = orders.load(order_no, actor)
    if version not in (None, "") and int(version) != order.version:
        raise Conflict(_l("This order changed since you opened it; look again before you decide."), order_no)
    request = open_request(order)
    if request is None or order.status != "awaiting_approval":
        raise NothingToDecide(order_no)
    now = now or utcnow()
    index, chain = request.current_level, request.chain
    for_user = _entitled(actor, chain[index], request, order_no, now)
    complete = _record(request, index, decision, actor, for_user, reason, now, order_no)
    who = actor.username + (f" for {for_user.username}" if for_user else "")
    audit.record("approval_" + decision, actor=actor, via=via, order_no=order_no, field="approval",
                 old=f"level {index + 1}/{len(chain)}", new=decision,
                 detail=f"{level_label(chain[index])}; by {who}" + (f"; {reason}" if reason else ""))
    if decision == "reject":
        close(request, "rejected", reason, now)
        alerts.rejected(order, reason, request.id)
        return orders.transition(order_no, "pending_payment", actor=None, via=via, reason=reason)
    if not complete:
        return order
    if index + 1 == len(chain):
        close(request, "approved", "", now)
        return orders.transition(order_no, "confirmed", actor=None, via=via)
    alerts.level_waiting(order, request)
    return order


def _entitled(actor, level: dict, request: ApprovalRequest, order_no: str, now):
    """Return None if the actor holds the level, the absent member they stand in for, else refuse."""
    member = delegation.is_member(actor, level) or (
        request.escalated_level == request.current_level and actor.id in {u.id for u in alerts.fallback(request)})
    stand_in = None if member else delegation.delegator_for(actor, level, now)
    if any(d.actor_id == actor.id for d in request.decisions):
        raise Forbidden(_l("You have already approved this order; level %(n)d waits for someone else (%(who)s).",
                           n=request.current_level + 1, who=level_label(level)), ["approval"], order_no,
                        code="already_decided")
    if member or stand_in is not None:
        return stand_in
    raise Forbidden(_l("Level %(n)d waits for %(who)s; it is not yours to decide.",
                       n=request.current_level + 1, who=level_label(level)), ["approval"], order_no,
                    code="not_your_level")


def _record(request, index, decision, actor, for_user, reason, now, order_no) -> bool:
    """Write the decision; return whether the level is now complete.

    A "one of" level has one seat, so a concurrent decision on it loses (409); on an "all of" level
    each member (or their delegate, or an escalation fallback who ends it) fills their own seat.
    """
    lost = Conflict(_l("Someone else decided this level a moment ago; look again."), order_no)
    level = request.chain[index]
    db.session.execute(select(ApprovalRequest.id).where(ApprovalRequest.id == request.id).with_for_update())
    seat = (for_user or actor).id if level.get("all") else 0
    try:
        with db.session.begin_nested():
            db.session.add(ApprovalDecision(request_id=request.id, level=index, seat=seat, decision=decision,
                                            actor_id=actor.id, on_behalf_of_id=getattr(for_user, "id", None),
                                            reason=reason, at=now))
    except IntegrityError:
        raise lost from None
    if decision == "approve" and level.get("all") and not _fallback_decides(actor, request):
        seats = set(db.session.scalars(select(ApprovalDecision.seat).where(
            ApprovalDecision.request_id == request.id, ApprovalDecision.level == index,
            ApprovalDecision.decision == "approve")))
        if not {u.id for u in delegation.members(level)} <= seats:
            db.session.expire(request, ["decisions"])
            return False
    moved = db.session.execute(
        update(ApprovalRequest).where(ApprovalRequest.id == request.id, ApprovalRequest.status == "open",
                                      ApprovalRequest.current_level == index)
        .values(current_level=index + 1, level_since=now).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise lost
    db.session.refresh(request)
    return True


def _fallback_decides(actor, request) -> bool:
    """Say whether the actor decides as the fallback of an escalated level (which ends the level alone)."""
    return request.escalated_level == request.current_level and \
        actor.id in {u.id for u in alerts.fallback(request)} and not delegation.is_member(actor, request.chain[
            request.current_level])


def pending_level(order):
    """Return (request, level dict) of the order's open request, or (None, None)."""
    request = open_request(order)
    if request is None or request.current_level >= len(request.chain):
        return request, None
    return request, request.chain[request.current_level]
