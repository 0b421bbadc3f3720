"""The one policy object: what a user may see and change of orders.

Read by form macros, the write service, serializers, exports, notifications and the offline copy.
"""
from dataclasses import dataclass, field

from flask import g, has_app_context
from sqlalchemy import select

from webapp.access.defaults import (
    CONFIRMED_ON, DEFAULT_MATRIX, DEFAULT_SCOPES, LOCKED_AFTER_CONFIRM, ORDER_FIELDS)
from webapp.access.models import RolePermission, RoleScope
from webapp.extensions import db


class PermissionDenied(Exception):
    """A write to fields the actor may not write; `fields` names them."""

    def __init__(self, fields, reason: str = "not_writable"):
        super().__init__(", ".join(fields))
        self.fields = list(fields)
        self.reason = reason


@dataclass(frozen=True)
class Policy:
    """One role's matrix row and row scope, plus the user it applies to."""

    role: str
    levels: dict = field(default_factory=dict)
    scope: str = "own"
    user_id: int | None = None
    regions: tuple = ()

    def level(self, name: str) -> str:
        return self.levels.get(name, "hidden")  # deny by default

    def can_read(self, name: str) -> bool:
        return self.level(name) in ("read", "write")

    def can_write(self, name: str) -> bool:
        return self.level(name) == "write"

    @property
    def readable(self) -> tuple:
        return tuple(f for f in ORDER_FIELDS if self.can_read(f))

    def unwritable(self, names) -> list:
        """Return the names among `names` this policy may not write."""
        return [n for n in names if not self.can_write(n)]

    def locked(self, order, names) -> list:
        """Return the fields among `names` frozen by the order's state."""
        if order is None or order.status not in CONFIRMED_ON:
            return []
        return [n for n in names if n in LOCKED_AFTER_CONFIRM]

    def scope_filter(self, stmt, order_model):
        """Narrow a select of orders to the rows this user may see."""
        if self.scope == "all":
            return stmt
        if self.scope == "region":
            return stmt.where(order_model.region.in_(self.regions),
                              order_model.status.in_(CONFIRMED_ON))
        return stmt.where(order_model.salesperson_id == self.user_id)

    def can_see(self, order) -> bool:
        """Say whether the order is inside this user's row scope."""
        if order is None or order.deleted_at is not None and self.role != "admin":
            return False
        if self.scope == "all":
            return True
        if self.scope == "region":
            return order.region in self.regions and order.status in CONFIRMED_ON
        return order.salesperson_id == self.user_id


def role_policy(role: str) -> tuple[dict, str]:
    """Return a role's matrix row and scope: stored cells over built-in defaults, deny by default."""
    levels = dict(DEFAULT_MATRIX.get(role, {}))
    for cell in db.session.scalars(select(RolePermission).where(RolePermission.role_code == role)):
        levels[cell.field] = cell.level
    scope = db.session.scalar(select(RoleScope.scope).where(RoleScope.role_code == role))
    return levels, scope or DEFAULT_SCOPES.get(role, "own")


def policy_for(user) -> Policy:
    """Return the policy for a user (cached for the current request)."""
    if user is None:
        return Policy(role="system", levels={f: "write" for f in ORDER_FIELDS}, scope="all")
    cache = g.setdefault("_policies", {}) if has_app_context() else {}
    key = (user.id, user.role_code)
    if key not in cache:
        levels, scope = role_policy(user.role_code)
        cache[key] = Policy(user.role_code, levels, scope, user.id, tuple(user.region_codes))
    return cache[key]


def check_write(policy: Policy, order, names) -> None:
    """Raise PermissionDenied unless the policy may write every named field of this order now."""
    refused = policy.unwritable(names)
    if refused:
        raise PermissionDenied(refused)
    locked = policy.locked(order, names)
    if locked:
        raise PermissionDenied(locked, reason="locked")
