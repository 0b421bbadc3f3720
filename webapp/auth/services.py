"""Passwords, login throttling and user management rules."""
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from webapp.auth.models import LoginAttempt, Region, Role, User
from webapp.core.db import utcnow
from webapp.extensions import db

# argon2id at OWASP/ASVS strength: 19 MiB memory, 2 passes, 1 lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY_HASH = _hasher.hash(secrets.token_hex(8))
MIN_PASSWORD, MAX_PASSWORD = 8, 128
FAILURES_COUNTED = ("bad_password", "unknown_user")
WINDOW = timedelta(hours=1)


class UserError(ValueError):
    """A user-management request that cannot be carried out, with the reason."""


def hash_password(password: str) -> str:
    """Hash a password with argon2id after checking its length."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise UserError(f"password must be {MIN_PASSWORD}..{MAX_PASSWORD} characters")
    return _hasher.hash(password)


def check_password(user: User | None, password: str) -> bool:
    """Verify a password in constant-ish time, also when the user does not exist."""
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def create_user(username: str, role: str, password: str, regions=(), display_name: str = "") -> User:
    """Create a user; raise UserError on a duplicate name, unknown role or region, or weak password."""
    username = username.strip().lower()
    if not username or len(username) > 64:
        raise UserError("username must be 1..64 characters")
    if db.session.scalar(select(User).where(User.username == username)):
        raise UserError(f"user {username!r} already exists")
    if db.session.get(Role, role) is None:
        known = ", ".join(db.session.scalars(select(Role.code).order_by(Role.code)))
        raise UserError(f"unknown role {role!r} (known: {known})")
    region_rows = []
    for code in regions:
        region = db.session.get(Region, code)
        if region is None:
            raise UserError(f"unknown region {code!r}")
        region_rows.append(region)
    user = User(username=username, role_code=role, password_hash=hash_password(password),
                display_name=display_name or username, regions=region_rows)
    db.session.add(user)
    return user


def login_wait_seconds(username: str, ip: str) -> int:
    """Return how long this account/IP must wait before the next try (growing delays, no lockout)."""
    now = utcnow()
    waits = [_wait_for(LoginAttempt.username == username.lower(), free=3, cap=60, now=now),
             _wait_for(LoginAttempt.ip == ip, free=10, cap=300, now=now)]
    return max(waits)


def _wait_for(who, free: int, cap: int, now) -> int:
    last_ok = db.session.scalar(select(func.max(LoginAttempt.at)).where(who, LoginAttempt.success.is_(True)))
    since = max(filter(None, [last_ok, now - WINDOW]))
    fails = db.session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            who, LoginAttempt.outcome.in_(FAILURES_COUNTED), LoginAttempt.at > since)).one()
    count, last = fails
    if count < free or last is None:
        return 0
    delay = min(2 ** (count - free), cap)
    remaining = (last + timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def record_attempt(username: str, ip: str, outcome: str) -> None:
    """Record one login attempt (the caller commits)."""
    db.session.add(LoginAttempt(username=username.lower()[:64], ip=ip[:64],
                                success=outcome == "ok", outcome=outcome))


def authenticate(username: str, password: str, ip: str) -> tuple[User | None, str]:
    """Check credentials and record the attempt; return (user or None, outcome)."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if not check_password(user, password):
        outcome = "unknown_user" if user is None else "bad_password"
    elif not user.is_active:
        outcome = "disabled"
    else:
        outcome = "ok"
    record_attempt(username.strip(), ip, outcome)
    return (user if outcome == "ok" else None), outcome
