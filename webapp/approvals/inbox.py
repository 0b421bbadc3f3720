"""What waits for one approver ("待我审批 N" on the home screen, the /approvals list) and the board's badges.

Reads the open requests once and decides in memory who each current level waits for: the level's
members, their delegates in force, and — once escalated — its fallback (the same people alerts and
decide() accept). Only orders inside the approver's row scope count.
"""
from sqlalchemy import select

from webapp.access.policy import policy_for, roles_with
from webapp.approvals import delegation
from webapp.approvals.models import ApprovalRequest, Delegation
from webapp.approvals.rules import level_key, read_cache
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders.models import Order


def _keys(user) -> set:
    return {("role", user.role_code), ("user", user.username)}


def _stand_in_keys(user, now) -> set:
    """Return the level keys of everyone who has delegated to this user at `now`."""
    found = db.session.scalars(select(Delegation).where(
        Delegation.delegate_id == user.id, Delegation.starts_at <= now, Delegation.ends_at > now))
    return {key for d in found if d.user.is_active for key in _keys(d.user)}


def _mine(request: ApprovalRequest, keys: set, may_approve: bool, user_id: int) -> bool:
    """Say whether the request's current level waits for a user with these keys."""
    chain, index = request.chain, request.current_level
    if index >= len(chain) or any(d.actor_id == user_id for d in request.decisions):
        return False
    if level_key(chain[index]) in keys:
        return True
    if request.escalated_level != index:
        return False
    return level_key(chain[index + 1]) in keys if index + 1 < len(chain) else may_approve


def waiting_for(user, now=None, limit: int = 500) -> list[ApprovalRequest]:
    """Return the open requests whose current level this user may decide now, oldest level first."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    now = now or utcnow()
    own = _keys(user)
    keys = own | _stand_in_keys(user, now)
    may_approve = user.role_code in roles_with("approve")
    stmt = policy_for(user).scope_filter(
        select(ApprovalRequest).join(Order, Order.id == ApprovalRequest.order_id)
        .where(ApprovalRequest.status == "open", Order.deleted_at.is_(None)), Order)
    rows = db.session.scalars(stmt.order_by(ApprovalRequest.level_since, ApprovalRequest.id).limit(limit))
    return [r for r in rows if _mine(r, keys, may_approve, user.id)]


def my_count(user) -> int | None:
    """Return how many approvals wait for the user; None for someone who never approves (no tile)."""
    def count():
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        found = len(waiting_for(user))
        return found if found or delegation.may_approve(user) else None
    return read_cache(("my_count", getattr(user, "id", None)), count)


def badges(rows) -> dict:
    """Map order_no → {n, m, who} for the board rows waiting for approval (one query for the page)."""
    numbers = [r["order_no"] if isinstance(r, dict) else r.order_no for r in rows
               if (r["status"] if isinstance(r, dict) else r.status) == "awaiting_approval"]
    if not numbers:
        return {}

    def load():
        from webapp.approvals.services import level_label
        found = db.session.execute(select(Order.order_no, ApprovalRequest).join(
            ApprovalRequest, ApprovalRequest.order_id == Order.id).where(
            Order.order_no.in_(numbers), ApprovalRequest.status == "open")).all()
        labels, out = {}, {}
        for order_no, request in found:
            chain, index = request.chain, min(request.current_level, len(request.chain) - 1)
            key = level_key(chain[index])
            labels.setdefault(key, level_label(chain[index]))
            out[order_no] = {"n": index + 1, "m": len(chain), "who": labels[key],
                             "escalated": request.escalated_level == request.current_level}
        return out
    return read_cache(("badges", tuple(numbers)), load)
