"""The one policy object: what a user may see and change of orders.

Read by form macros, the write service, serializers, exports, notifications and the offline copy.
"""
from dataclasses import dataclass, field

from flask import g, has_app_context
from sqlalchemy import select

from webapp.access.defaults import (
    ACTIONS, CONFIRMED_ON, DEFAULT_MATRIX, DEFAULT_SCOPES, LINE_FIELDS, LINE_MONEY, LOCKED_AFTER_CONFIRM,
    MATRIX_FIELDS, ORDER_FIELDS)
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

    def can(self, action: str) -> bool:
        """Say whether the role may take an order action (approve, delete, restore, unlock)."""
        return action in ACTIONS and self.level(action) == "write"

    def can_read(self, name: str) -> bool:
        return self.level(name) in ("read", "write")

    def can_write(self, name: str) -> bool:
        return self.level(name) == "write"

    @property
    def readable(self) -> tuple:
        """Order-level fields this policy may read (line money is in `line_fields`)."""
        return tuple(f for f in ORDER_FIELDS if self.can_read(f))

    @property
    def line_fields(self) -> tuple:
        """Line keys this policy may read: none without `items`, money only where readable."""
        if not self.can_read("items"):
            return ()
        return tuple(k for k in LINE_FIELDS if k not in LINE_MONEY or self.can_read(k))

    def visible(self, order) -> dict:
        """Return the order as a dict of only the fields this policy may read (for views and exports)."""
        out = {}
        for name in self.readable:
            if name == "items":
                out["items"] = [{k: getattr(line, k) for k in self.line_fields} for line in order.lines]
            elif name == "salesperson":
                out["salesperson"] = getattr(order.salesperson, "username", None)
            else:
                out[name] = getattr(order, name)
        return out

    def unwritable(self, names) -> list:
        """Return the names among `names` this policy may not write."""
        return [n for n in names if not self.can_write(n)]

    def locked(self, order, names, unlock: bool = False) -> list:
        """Return the fields among `names` frozen by the order's state."""
        if order is None or order.status not in CONFIRMED_ON or (unlock and self.can("unlock")):
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
        if order is None or (order.deleted_at is not None and not self.can("restore")):
            return False  # a deleted order is seen only by those who may restore it
        if self.scope == "all":
            return True
        if self.scope == "region":
            return order.region in self.regions and order.status in CONFIRMED_ON
        return order.salesperson_id == self.user_id


SYSTEM = Policy(role="system", levels={f: "write" for f in MATRIX_FIELDS + ACTIONS}, scope="all")


def role_policy(role: str) -> tuple[dict, str]:
    """Return a role's matrix row and scope: stored cells over built-in defaults, deny by default."""
    levels = dict(DEFAULT_MATRIX.get(role, {}))  # a role not built in starts all hidden
    for cell in db.session.scalars(select(RolePermission).where(RolePermission.role_code == role)):
        levels[cell.field] = cell.level
    scope = db.session.scalar(select(RoleScope.scope).where(RoleScope.role_code == role))
    return levels, scope or DEFAULT_SCOPES.get(role, "own")


def policy_for(user) -> Policy:
    """Return the policy for a user (cached for the current request)."""
    if user is None:
        return SYSTEM
    cache = g.setdefault("_policies", {}) if has_app_context() else {}
    key = (user.id, user.role_code)
    if key not in cache:
        levels, scope = role_policy(user.role_code)
        cache[key] = Policy(user.role_code, levels, scope, user.id, tuple(user.region_codes))
    return cache[key]


def check_write(policy: Policy, order, names, *, unlock: bool = False) -> None:
    """Raise PermissionDenied unless the policy may write every named field of this order now.

    `order` is None for a new order. Reasons: "out_of_scope" (the order is not the user's to see),
    "not_writable" (the matrix says no), "locked" (frozen by the state; `unlock=True` lifts that
    for roles allowed to unlock — the caller must have asked for stepup.require_recent first).
    """
    names = list(names)
    if order is not None and not policy.can_see(order):
        raise PermissionDenied(names, reason="out_of_scope")
    refused = policy.unwritable(names)
    if refused:
        raise PermissionDenied(refused)
    locked = policy.locked(order, names, unlock)
    if locked:
        raise PermissionDenied(locked, reason="locked")


def check_action(policy: Policy, order, action: str) -> None:
    """Raise PermissionDenied(["@action"], "not_allowed") unless the role may take this order action."""
    if order is not None and not policy.can_see(order):
        raise PermissionDenied([action], reason="out_of_scope")
    if not policy.can(action):
        raise PermissionDenied([action], reason="not_allowed")
