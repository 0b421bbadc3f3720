"""Administer users: create, change role/regions/name, disable (ends sessions), reset password; audited."""
from sqlalchemy import select

from webapp.audit.services import record
from webapp.auth import services as auth
from webapp.auth import sessions as auth_sessions
from webapp.auth.models import Region, Role, User
from webapp.extensions import db


class UserAdminError(ValueError):
    """A user change that cannot be made, with the reason."""


def users() -> list[User]:
    """Return every user, by username."""
    return list(db.session.scalars(select(User).order_by(User.username)))


def create(username, role, password, regions, display_name, *, actor, via: str = "web") -> User:
    """Create a user through the auth rules; audit it (never the password)."""
    try:
        user = auth.create_user(username, role, password, regions, display_name)
    except auth.UserError as exc:
        raise UserAdminError(str(exc)) from exc
    db.session.flush()
    record("user_created", actor=actor, via=via, field="user", new=user.username,
           detail=f"role={role} regions={','.join(sorted(regions))}")
    return user


def _regions(codes) -> list[Region]:
    rows = [db.session.get(Region, c) for c in codes]
    if None in rows:
        raise UserAdminError("unknown region")
    return rows


def update(user: User, *, role: str, regions, display_name: str, actor, via: str = "web") -> list[str]:
    """Change role, regions and name; audit each change old → new; return the changed names."""
    if db.session.get(Role, role) is None:
        raise UserAdminError(f"unknown role {role!r}")
    if user.id == actor.id and role != user.role_code:
        raise UserAdminError("you cannot change your own role")
    changes = {
        "role": (user.role_code, role),
        "regions": (",".join(user.region_codes), ",".join(sorted(regions))),
        "display_name": (user.display_name, display_name.strip() or user.username),
    }
    changed = [k for k, (old, new) in changes.items() if old != new]
    user.role_code = role
    user.regions = _regions(sorted(regions))
    user.display_name = changes["display_name"][1]
    if "role" in changed:
        auth_sessions.end_all(user, "role_changed")  # the new role starts from a fresh login
    for name in changed:
        record("user_changed", actor=actor, via=via, field=f"user.{name}", old=changes[name][0],
               new=changes[name][1], detail=f"user={user.username}")
    return changed


def set_active(user: User, active: bool, *, actor, via: str = "web") -> None:
    """Disable (ending every session of the user at once) or enable a user; audit it."""
    if user.id == actor.id and not active:
        raise UserAdminError("you cannot disable yourself")
    if user.is_active_user == active:
        return
    user.is_active_user = active
    if not active:
        auth_sessions.end_all(user, "disabled")
    record("user_enabled" if active else "user_disabled", actor=actor, via=via, field="user.active",
           old=str(not active).lower(), new=str(active).lower(), detail=f"user={user.username}")


def reset_password(user: User, password: str, *, clear_totp: bool, actor, via: str = "web") -> None:
    """Set a new password, end the user's sessions, optionally drop their TOTP; audit it (no secrets)."""
    try:
        user.password_hash = auth.hash_password(password)
    except auth.UserError as exc:
        raise UserAdminError(str(exc)) from exc
    auth_sessions.end_all(user, "password_changed")
    if clear_totp and user.totp_secret:
        user.totp_secret = None
        record("totp_removed", actor=actor, via=via, field="user.totp", detail=f"user={user.username}")
    record("password_reset", actor=actor, via=via, field="user.password", detail=f"user={user.username}")
