"""API tokens: create (shown once), find by prefix and check in constant time, list, revoke; all audited.

A token reads `ohk_` + 43 URL-safe characters (32 random bytes), so a leaked one is recognisable;
its first 12 characters are the prefix kept in clear for lookup and display, the whole token only
as SHA-256. A token of a disabled user, a revoked or an expired token authenticates nobody.
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import select

from webapp.api.models import ApiToken
from webapp.audit.services import record
from webapp.core.db import utcnow
from webapp.extensions import db

SCHEME = "ohk_"
PREFIX_LEN = len(SCHEME) + 8
MAX_NAME = 64


class TokenError(ValueError):
    """A token request that cannot be carried out, with the reason."""


def digest(raw: str) -> str:
    """Return the SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(user, name: str = "", expires_days: int | None = None, *, actor, via: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; return it and the raw secret (the only time it exists in clear)."""
    name = (name or "").strip() or "api"
    if len(name) > MAX_NAME:
        raise TokenError(f"the name must be at most {MAX_NAME} characters")
    if expires_days is not None and not 1 <= expires_days <= 3650:
        raise TokenError("--expires-days must be between 1 and 3650")
    if not user.is_active:
        raise TokenError(f"user {user.username!r} is disabled")
    raw = SCHEME + secrets.token_urlsafe(32)
    while db.session.scalar(select(ApiToken.id).where(ApiToken.prefix == raw[:PREFIX_LEN])):
        raw = SCHEME + secrets.token_urlsafe(32)  # 48 random bits in the prefix: practically never
    now = utcnow()
    token = ApiToken(user_id=user.id, name=name, prefix=raw[:PREFIX_LEN], secret_hash=digest(raw), created_at=now,
                     expires_at=now + timedelta(days=expires_days) if expires_days else None)
    db.session.add(token)
    db.session.flush()
    record("token_created", actor=actor, via=via, field="api_token", new=f"{user.username}:{name}",
           detail=f"token={token.prefix}" + (f" expires={token.expires_at.date()}" if token.expires_at else ""))
    return token, raw


def authenticate(raw: str, now=None) -> ApiToken | None:
    """Return the live token of an active user that `raw` is, else None (constant-time comparison)."""
    if not raw.startswith(SCHEME) or len(raw) < PREFIX_LEN + 8 or len(raw) > 128:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.prefix == raw[:PREFIX_LEN]))
    if token is None or not hmac.compare_digest(token.secret_hash, digest(raw)):
        return None
    if not token.is_live(now or utcnow()) or not token.user.is_active:
        return None
    return token


def tokens_of(user_id: int) -> list[ApiToken]:
    """Return a user's tokens, newest first (revoked ones too)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)
                                   .order_by(ApiToken.id.desc())))


def revoke_token(token: ApiToken, *, actor, via: str) -> ApiToken:
    """Revoke a token at once (idempotent: revoking twice records once)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record("token_revoked", actor=actor, via=via, field="api_token",
               old=f"{token.user.username}:{token.name}", detail=f"token={token.prefix}")
    return token
