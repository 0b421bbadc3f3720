"""Who may decide a level: its members (a role's users, or one named user) and their delegates.

An approver who will be away sets "from … to …, delegate to X"; in that window X may decide the
levels the approver holds, and the audit log says "by X for Y".
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.access.policy import policy_for
from webapp.approvals.models import Delegation
from webapp.audit import services as audit
from webapp.auth.models import User
from webapp.extensions import db


class DelegationError(ValueError):
    """A delegation that cannot be set (to oneself, to someone who may not approve, empty window)."""


def is_member(user, level: dict) -> bool:
    """Say whether the user holds this level themself: its named user, or an active user of its role."""
    if user is None or not user.is_active:
        return False
    if level.get("user"):
        return user.username == level["user"]
    return user.role_code == level.get("role")


def members(level: dict) -> list[User]:
    """Return the active users who hold a level themself."""
    stmt = select(User).where(User.is_active_user.is_(True))
    stmt = stmt.where(User.username == level["user"]) if level.get("user") else \
        stmt.where(User.role_code == level.get("role"))
    return list(db.session.scalars(stmt.order_by(User.id)))


def active_for(user_ids, now) -> list[Delegation]:
    """Return the delegations of these users in force at `now`."""
    return list(db.session.scalars(select(Delegation).where(
        Delegation.user_id.in_(list(user_ids)), Delegation.starts_at <= now, Delegation.ends_at > now)))


def delegator_for(user, level: dict, now) -> User | None:
    """Return the level member this user stands in for at `now` (a delegation in force), else None."""
    if user is None:
        return None
    found = db.session.scalars(select(Delegation).where(
        Delegation.delegate_id == user.id, Delegation.starts_at <= now, Delegation.ends_at > now))
    return next((d.user for d in found if is_member(d.user, level)), None)


def delegates_of(level: dict, now) -> list[User]:
    """Return the users standing in for this level's members at `now`."""
    ids = [u.id for u in members(level)]
    return [d.delegate for d in active_for(ids, now) if d.delegate.is_active] if ids else []


def may_approve(user) -> bool:
    """Say whether the user may approve anything: the `approve` action, or finance-like roles named in rules."""
    from webapp.approvals.rules import active_rules
    if policy_for(user).can("approve"):
        return True
    return any(is_member(user, level) for rule in active_rules() for level in rule.levels)


def delegate(user, to_user, starts_at, ends_at, *, actor, via: str = "web") -> Delegation:
    """Set "away from … to …, delegate to X" for `user`; refuse loops, empty windows and non-approvers."""
    if to_user is None or to_user.id == user.id:
        raise DelegationError(_l("Choose someone other than yourself."))
    if ends_at <= starts_at:
        raise DelegationError(_l("The end must come after the start."))
    if not to_user.is_active or not (to_user.role_code == user.role_code or policy_for(to_user).can("approve")):
        raise DelegationError(_l("%(name)s may not approve orders, so cannot stand in for you.",
                                 name=to_user.username))
    back = db.session.scalar(select(Delegation).where(
        Delegation.user_id == to_user.id, Delegation.delegate_id == user.id,
        Delegation.starts_at < ends_at, Delegation.ends_at > starts_at))
    if back is not None:
        raise DelegationError(_l("%(name)s has delegated to you in that window; that would be a loop.",
                                 name=to_user.username))
    row = Delegation(user_id=user.id, delegate_id=to_user.id, starts_at=starts_at, ends_at=ends_at)
    db.session.add(row)
    db.session.flush()
    audit.record("approval_delegated", actor=actor, via=via, field="delegation", old=user.username,
                 new=to_user.username, detail=f"{starts_at.isoformat()} – {ends_at.isoformat()}")
    return row


def upcoming(user, now) -> list[Delegation]:
    """Return the user's delegations not yet over, soonest first."""
    return list(db.session.scalars(select(Delegation).where(Delegation.user_id == user.id, Delegation.ends_at > now)
                                   .order_by(Delegation.starts_at)))
