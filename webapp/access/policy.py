"""The one policy object: what a user may see and change of orders.

Read by form macros, the write service, serializers, exports, notifications and the offline copy.
"""
from dataclasses import dataclass, field
from functools import cached_property

from flask import g, has_app_context
from sqlalchemy import select

from webapp.access.defaults import DEFAULT_HOMES, DEFAULT_MATRIX, DEFAULT_SCOPES, MATRIX_KEYS
from webapp.access.models import RolePermission, RoleScope
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.vocab import (
    ACTIONS, CONFIRMED_ON, LINE_FIELDS, LINE_MONEY_GATES, LOCKED_AFTER_CONFIRM, ORDER_FIELDS, TASK_STATES)


class PermissionDenied(Exception):
    """A write to fields the actor may not write; `fields` names them."""

    def __init__(self, fields, reason: str = "not_writable"):
        super().__init__(", ".join(fields))
        self.fields = list(fields)
        self.reason = reason


@dataclass(frozen=True)
class Policy:
    """One role's matrix row, row scope and home screen, plus the user it applies to."""

    role: str
    levels: dict = field(default_factory=dict)
    scope: str = "own"
    user_id: int | None = None
    regions: tuple = ()
    home: str = "board"

    def level(self, name: str) -> str:
        return self.levels.get(name, "hidden")  # deny by default

    def can(self, action: str) -> bool:
        """Say whether the role may take an action: an order action, a state step or an area."""
        return action in ACTIONS and self.level(action) == "write"

    def can_read(self, name: str) -> bool:
        return self.level(name) in ("read", "write")

    def can_write(self, name: str) -> bool:
        return self.level(name) == "write"

    @property
    def task_states(self) -> tuple:
        """Return the states of the orders waiting for this role's next move (its "my tasks")."""
        if self.home == "warehouse":
            return TASK_STATES
        if self.home == "sales":
            return ("pending_payment",)
        return ("awaiting_approval",) if self.can("approve") else ()

    @cached_property  # a policy lives for one request; its levels never change (issue 16: CPU per page)
    def readable(self) -> tuple:
        """Order-level fields this policy may read (line money is in `line_fields`)."""
        return tuple(f for f in ORDER_FIELDS if self.can_read(f))

    def can_read_line(self, name: str) -> bool:
        """The one rule for a line key: needs `items`; money also needs its cell and its order gate.

        A line's unit_price is shown only to those who may read unit_price and total_amount, its
        unit_cost only with unit_cost and cost_total — on pages, prints, exports, copies and the API.
        """
        if not self.can_read("items"):
            return False
        gate = LINE_MONEY_GATES.get(name)
        return gate is None or (self.can_read(name) and self.can_read(gate))

    @cached_property
    def line_fields(self) -> tuple:
        """Line keys this policy may read, in contract order."""
        return tuple(k for k in LINE_FIELDS if self.can_read_line(k))

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


SYSTEM = Policy(role="system", levels={f: "write" for f in MATRIX_KEYS}, scope="all")


def role_policy(role: str) -> tuple[dict, str]:
    """Return a role's matrix row and scope: stored cells over built-in defaults, deny by default."""
    levels = dict(DEFAULT_MATRIX.get(role, {}))  # a role not built in starts all hidden
    for cell in db.session.scalars(select(RolePermission).where(RolePermission.role_code == role)):
        levels[cell.field] = cell.level
    scope = db.session.scalar(select(RoleScope.scope).where(RoleScope.role_code == role))
    return levels, scope or DEFAULT_SCOPES.get(role, "own")


def role_home(role: str) -> str:
    """Return the home screen a role lands on (stored on the role; built-in default otherwise)."""
    home = db.session.scalar(select(Role.home).where(Role.code == role))
    return home or DEFAULT_HOMES.get(role, "board")


def roles_with(action: str) -> list[str]:
    """Return the codes of the roles whose matrix row holds this action."""
    codes = db.session.scalars(select(Role.code).order_by(Role.code))
    return [code for code in codes if role_policy(code)[0].get(action) == "write"]


def policy_for(user) -> Policy:
    """Return the policy for a user (cached for the current request)."""
    if user is None:
        return SYSTEM
    cache = g.setdefault("_policies", {}) if has_app_context() else {}
    key = (user.id, user.role_code)
    if key not in cache:
        levels, scope = role_policy(user.role_code)
        home = user.role.home if user.role is not None else role_home(user.role_code)
        cache[key] = Policy(user.role_code, levels, scope, user.id, tuple(user.region_codes), home)
    return cache[key]


def current_policy() -> Policy | None:
    """Return the logged-in user's policy (None when nobody is logged in)."""
    from flask_login import current_user
    return policy_for(current_user) if getattr(current_user, "is_authenticated", False) else None


def require(action: str) -> None:
    """Answer 403 unless the logged-in user's role holds this action (an area such as audit_log)."""
    from flask import abort
    policy = current_policy()
    if policy is None or not policy.can(action):
        abort(403)


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
