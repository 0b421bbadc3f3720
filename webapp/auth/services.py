"""Passwords, user creation, credential checks and the one-use rule of TOTP codes."""
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from webapp.auth import throttle
from webapp.auth.models import Region, Role, User
from webapp.extensions import db

# argon2id at OWASP/ASVS strength: 19 MiB memory, 2 passes, 1 lane.
PRODUCTION_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_hasher = PRODUCTION_HASHER
_DUMMY_HASH = _hasher.hash(secrets.token_hex(8))
MIN_PASSWORD, MAX_PASSWORD = 8, 128


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


def authenticate(username: str, password: str, ip: str, device: str | None = None) -> tuple[User | None, str]:
    """Check credentials and record the attempt (from a known device or not); return (user or None, outcome)."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if not check_password(user, password):
        outcome = "unknown_user" if user is None else "bad_password"
    elif not user.is_active:
        outcome = "disabled"
    else:
        outcome = "ok"
    throttle.record_attempt(username, ip, outcome, device)
    return (user if outcome == "ok" else None), outcome


def claim_totp_step(user: User, counter: int) -> bool:
    """Use up TOTP time step `counter` for `user` unless it (or a later one) was used; the caller commits.

    One conditional UPDATE: under concurrent requests on PostgreSQL the second waits for the first
    to commit, then finds the condition false, so a code is accepted once.
    """
    claimed = db.session.execute(
        update(User).where(User.id == user.id, or_(User.totp_last_counter.is_(None),
                                                    User.totp_last_counter < counter))
        .values(totp_last_counter=counter).execution_options(synchronize_session=False)).rowcount
    if claimed:
        set_committed_value(user, "totp_last_counter", counter)
    return claimed == 1
