"""Server-side login sessions: the cookie carries a random token, the table its hash; revocable at once.

Each request of a logged-in browser costs one indexed lookup (token hash → session row with its user);
`last_seen_at` is written at most once a minute. A session ends on logout, when the user ends it
from "My sessions", when their password, role or active flag changes (every session at once), after
SESSION_IDLE_MINUTES without a request and SESSION_MAX_DAYS after login, whichever comes first.
"""
import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import delete, or_, select, update

from webapp.auth.models import User, UserSession
from webapp.core.db import READ_METHODS, utcnow
from webapp.extensions import db

TOUCH_EVERY = timedelta(minutes=1)
KEEP_ENDED = timedelta(days=30)
_BROWSERS = (("Edg", "Edge"), ("MicroMessenger", "WeChat"), ("Firefox", "Firefox"), ("Chrome", "Chrome"),
             ("Safari", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
            ("Mac OS", "macOS"), ("Linux", "Linux"))


def token_hash(token: str) -> str:
    """Return the stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def device_summary(user_agent: str) -> str:
    """Sum up a User-Agent as "Browser · System" (the raw header is not kept)."""
    browser = next((name for key, name in _BROWSERS if key in user_agent), "")
    system = next((name for key, name in _SYSTEMS if key in user_agent), "")
    summary = " · ".join(p for p in (browser, system) if p)
    return summary or re.sub(r"[^\w ./-]", "", user_agent)[:40]


def idle_limit() -> timedelta:
    """Return how long a session may go without a request."""
    return timedelta(minutes=int(current_app.config["SESSION_IDLE_MINUTES"]))


def absolute_limit() -> timedelta:
    """Return how long a session may last after login."""
    return timedelta(days=int(current_app.config["SESSION_MAX_DAYS"]))


def start(user: User, user_agent: str, ip: str) -> str:
    """Open a session for `user` (the caller commits); return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id,
        or_(UserSession.revoked_at < now - KEEP_ENDED, UserSession.last_seen_at < now - KEEP_ENDED)))
    db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id, created_at=now, last_seen_at=now,
                               user_agent=device_summary(user_agent or ""), ip=(ip or "")[:64]))
    return token


def is_live(row: UserSession | None, now=None) -> bool:
    """Say whether a session row is neither revoked nor past its idle or absolute lifetime."""
    now = now or utcnow()
    return (row is not None and row.revoked_at is None and now - row.last_seen_at < idle_limit()
            and now - row.created_at < absolute_limit())


def find(token: str | None) -> UserSession | None:
    """Return the session row of a token with its user (one indexed lookup), live or not."""
    if not isinstance(token, str) or not token:
        return None
    return db.session.scalar(select(UserSession).where(UserSession.token_hash == token_hash(token)))


def resume(token: str | None, user_id: int) -> UserSession | None:
    """Return the live session of `token` belonging to `user_id`, noting the request (≤ once a minute)."""
    row = find(token)
    now = utcnow()
    if not is_live(row, now) or row.user_id != user_id:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        _touch(row, now)
    return row


def _touch(row: UserSession, now) -> None:
    """Note the request: in the request's own transaction when it writes, else on a short one of its own.

    A writing request holds SQLite's write lock already, so a second connection would wait on it;
    a reading one must not be made to commit, so its note goes through its own connection.
    """
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method not in READ_METHODS or getattr(view, "writes_on_get", False):
        row.last_seen_at = now
        return
    with db.engine.begin() as conn:
        conn.execute(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))


def end(row: UserSession, reason: str) -> None:
    """End one session (the caller commits)."""
    if row.revoked_at is None:
        row.revoked_at, row.revoked_reason = utcnow(), reason[:32]


def end_all(user: User, reason: str, keep: UserSession | None = None) -> int:
    """End every live session of `user` but `keep` (the caller commits); return how many ended."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    ended = db.session.execute(stmt.values(revoked_at=utcnow(), revoked_reason=reason[:32]),
                               execution_options={"synchronize_session": "fetch"}).rowcount
    if keep is None:
        user.session_epoch = (user.session_epoch or 0) + 1  # belt and braces: the cookie's user id changes too
    return ended


def live_sessions(user: User) -> list[UserSession]:
    """Return the user's live sessions, most recently used first."""
    now = utcnow()
    rows = db.session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None),
        UserSession.last_seen_at > now - idle_limit(), UserSession.created_at > now - absolute_limit(),
    ).order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()))
    return list(rows)


def prune(now=None) -> int:
    """Delete sessions that ended (logout, revoked, idle or past their lifetime) over KEEP_ENDED ago; return how many.

    The caller commits. Live sessions are never touched; ended ones stay a while for "My sessions" and audits.
    """
    cutoff = (now or utcnow()) - KEEP_ENDED
    return db.session.execute(delete(UserSession).where(or_(
        UserSession.revoked_at < cutoff, UserSession.last_seen_at < cutoff - idle_limit(),
        UserSession.created_at < cutoff - absolute_limit()))).rowcount or 0
