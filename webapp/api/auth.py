"""Who calls the API: a Bearer token and nothing else (cookies never count), within its rate limit.

Runs first among the app's before-request hooks for the API blueprint, so the Idempotency-Key hook
(webapp.offline.idempotency) and everything after it see the token's user as the request's user,
and a request without a valid token is refused before anything is claimed or written.
"""
import hashlib
import json
from datetime import timedelta

from flask import g, request
from flask_babel import gettext as _
from sqlalchemy import update

from webapp.api import ratelimit, tokens
from webapp.api.models import ApiToken
from webapp.api.problems import problem
from webapp.audit.services import api_token_prefix
from webapp.core.db import READ_METHODS, read_phase, utcnow
from webapp.extensions import db, login_manager

BLUEPRINT = "api"
MAX_BODY = 256 * 1024
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is exact to the minute: no write per request
_ENV_KEY = "orderhub.api_token"


def api_user():
    """Return the user the current API request acts for."""
    return g.api_user


def authenticate():
    """Before every request: for API routes, resolve the Bearer token or answer 401/413/429."""
    if request.blueprint != BLUEPRINT:
        return None
    g._login_user = login_manager.anonymous_user()  # a session cookie is ignored here
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    with read_phase():  # a read: it need not queue for SQLite's write lock behind other writers
        token = tokens.authenticate(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
        _end_read()  # release SQLite's snapshot: the counters write on their own connection
    if token is None:
        return problem(401, _("Send Authorization: Bearer <token>; this token is unknown, revoked or expired, "
                              "or its user is disabled."), "invalid_token", ["Authorization"],
                       headers={"WWW-Authenticate": 'Bearer realm="orderhub"'})
    token_id, prefix, last_used = token.id, token.prefix, token.last_used_at
    wait = ratelimit.hit(token_id, prefix)
    if wait:
        return problem(429, _("Too many requests for this token. Try again in %(s)d seconds.", s=wait),
                       "rate_limited", ["Authorization"], headers={"Retry-After": str(wait)})
    _touch(token_id, last_used)
    if (request.content_length or 0) > MAX_BODY:
        return problem(413, _("The body is larger than %(n)d KiB.", n=MAX_BODY // 1024), "too_large", ["body"])
    if any("\x00" in str(v) for v in (request.view_args or {}).values()):
        return problem(404, None, "not_found")  # no order number holds NUL (and PostgreSQL refuses it)
    g.api_token, g.api_user, g._login_user = token, token.user, token.user
    request.environ[_ENV_KEY] = api_token_prefix.set(prefix)
    if request.method not in READ_METHODS:
        g.idempotency_fingerprint = fingerprint(request.get_data(cache=True))
    return None


def _end_read() -> None:
    """End the token look-up's transaction (nothing is written before this hook) without expiring what
    it loaded, so the token and its user are not read a second time for the rest of the request."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        session.rollback()
        return
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def unbind(_exc=None) -> None:
    """After a request: forget the token (threads serve many requests)."""
    token = request.environ.pop(_ENV_KEY, None)
    if token is not None:
        api_token_prefix.reset(token)


def fingerprint(body: bytes) -> str:
    """Hash a request body for Idempotency-Key reuse checks (JSON compared by content, not spacing)."""
    try:
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        pass
    return hashlib.sha256(body).hexdigest()


def _touch(token_id: int, last_used) -> None:
    """Record the token's last use, at most once a minute, on its own short transaction."""
    now = utcnow()
    if last_used is not None and now - last_used < TOUCH_EVERY:
        return
    with db.engine.begin() as conn:
        conn.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
