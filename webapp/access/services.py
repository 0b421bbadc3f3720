"""Change the permission matrix, row scopes and roles; every change is audited (old → new)."""
import re

from sqlalchemy import select

from webapp.access.defaults import MATRIX_KEYS
from webapp.vocab import ACTIONS, COMPUTED_FIELDS as COMPUTED, HOME_SCREENS, LEVELS, SCOPES
from webapp.access.models import RolePermission, RoleScope
from webapp.access.policy import role_home, role_policy
from webapp.audit.services import record
from webapp.auth.models import Role
from webapp.extensions import db

ROLE_CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


class AccessError(ValueError):
    """A matrix or role change that cannot be made, with the reason."""


def roles() -> list[Role]:
    """Return every role, built-in ones first."""
    return list(db.session.scalars(select(Role).order_by(Role.builtin.desc(), Role.code)))


def allowed_levels(name: str) -> tuple:
    """Return the levels a matrix cell may take: actions are yes/no, computed fields never `write`."""
    if name in ACTIONS:
        return ("hidden", "write")
    if name in COMPUTED:
        return ("hidden", "read")
    return LEVELS


def next_level(name: str, level: str) -> str:
    """Return the level a toggle moves to: hidden → read → write → hidden (within what is allowed)."""
    options = allowed_levels(name)
    return options[(options.index(level) + 1) % len(options)] if level in options else options[0]


def matrix() -> dict:
    """Return {role code: ({field: level}, scope)} for every role, defaults merged with stored cells."""
    return {role.code: role_policy(role.code) for role in roles()}


def _locked_role(code: str) -> Role:
    """Return the role, locking its row so concurrent matrix edits of it queue up."""
    role = db.session.scalar(select(Role).where(Role.code == code).with_for_update())
    if role is None:
        raise AccessError(f"unknown role {code!r}")
    return role


def set_level(role_code: str, name: str, level: str, *, actor, via: str = "web") -> str:
    """Set one matrix cell; audit old → new; return the new level."""
    if name not in MATRIX_KEYS:
        raise AccessError(f"unknown field {name!r}")
    if level not in allowed_levels(name):
        raise AccessError(f"level {level!r} not allowed for {name!r}")
    _locked_role(role_code)
    old = role_policy(role_code)[0].get(name, "hidden")

    def apply():
        cell = db.session.get(RolePermission, (role_code, name))
        if cell is None:
            db.session.add(RolePermission(role_code=role_code, field=name, level=level))
        else:
            cell.level = level
    return _change(role_code, "permission_changed", name, old, level, apply, actor=actor, via=via)


def _change(role_code: str, action: str, key: str, old: str, new: str, apply, *, actor, via: str) -> str:
    """Apply one change to a role's row when it changes anything, and audit it (old → new)."""
    if old != new:
        apply()
        record(action, actor=actor, via=via, field=f"{role_code}.{key}", old=old, new=new, detail=f"role={role_code}")
    return new


def set_scope(role_code: str, scope: str, *, actor, via: str = "web") -> str:
    """Set a role's row scope; audit old → new."""
    if scope not in SCOPES:
        raise AccessError(f"unknown scope {scope!r}")
    _locked_role(role_code)

    def apply():
        row = db.session.get(RoleScope, role_code)
        if row is None:
            db.session.add(RoleScope(role_code=role_code, scope=scope))
        else:
            row.scope = scope
    return _change(role_code, "scope_changed", "scope", role_policy(role_code)[1], scope, apply, actor=actor, via=via)


def set_home(role_code: str, home: str, *, actor, via: str = "web") -> str:
    """Set the home screen a role lands on; audit old → new."""
    if home not in HOME_SCREENS:
        raise AccessError(f"unknown home screen {home!r}")
    role = _locked_role(role_code)
    return _change(role_code, "home_changed", "home", role.home, home, lambda: setattr(role, "home", home),
                   actor=actor, via=via)


def copy_role(source: str, code: str, name_zh: str, name_en: str, *, actor, via: str = "web") -> Role:
    """Create a role as a copy of another (every cell and the scope stored); audit it."""
    code = (code or "").strip().lower()
    if not ROLE_CODE.match(code):
        raise AccessError("role code: 2..32 lowercase letters, digits or _, starting with a letter")
    if db.session.get(Role, code) is not None:
        raise AccessError(f"role {code!r} already exists")
    if db.session.get(Role, source) is None:
        raise AccessError(f"unknown role {source!r}")
    levels, scope = role_policy(source)
    role = Role(code=code, name_zh=name_zh.strip() or code, name_en=name_en.strip() or code, builtin=False,
                home=role_home(source))
    db.session.add(role)
    db.session.flush()
    db.session.add_all(RolePermission(role_code=code, field=f, level=levels.get(f, "hidden"))
                       for f in MATRIX_KEYS)
    db.session.add(RoleScope(role_code=code, scope=scope))
    record("role_created", actor=actor, via=via, field="role", old=None, new=code, detail=f"copy_of={source}")
    return role
