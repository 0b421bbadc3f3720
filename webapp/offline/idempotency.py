"""Idempotency-Key for every state-changing request: a repeat from the same user changes nothing.

The first request with a key claims it (a committed row, unique per user and key), runs, and its
response (status, headers, body) is stored; a repeat gets that response back, marked
`Idempotent-Replayed: true`. A repeat while the first still runs gets 409 with Retry-After.
Server errors (5xx) and 429 release the key so the client may try again. Keys are kept ≥ 7 days.

Installed app-wide by the offline blueprint (before/after every request), so no view needs
editing; a view whose user is only known inside it (API tokens) can use @idempotent(actor=…).
"""
import json
import logging
import re
from datetime import timedelta
from functools import wraps

from flask import Response, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from webapp.core.db import READ_METHODS, utcnow
from webapp.extensions import db
from webapp.offline.models import IdempotencyKey
from webapp.offline.origin import record_sync

log = logging.getLogger(__name__)
HEADER = "Idempotency-Key"
KEEP = timedelta(days=8)              # promised: at least 7 days
STALE = timedelta(minutes=2)          # an unfinished claim this old was left by a crashed request
RELEASE = {408, 429}                  # answers that must not stick to the key
DROP_HEADERS = {"set-cookie", "content-length", "date"}
MAX_BODY = 4 * 1024 * 1024
KEY_RE = re.compile(r"^[A-Za-z0-9_.:\-]{8,128}$")


def _session_user():
    return current_user if getattr(current_user, "is_authenticated", False) else None


def _problem(status: int, code: str, message: str, retry_after: int | None = None) -> Response:
    resp = jsonify(error=code, message=message, fields=[HEADER])
    resp.status_code = status
    if retry_after:
        resp.headers["Retry-After"] = str(retry_after)
    return resp


def begin(user_id: int, key: str, fingerprint: str | None = None) -> Response | None:
    """Claim `key` for this request; return the response to answer instead when it was seen before.

    `fingerprint` (a hash of the body, given by the API) makes a repeat with another body a 422.
    """
    if not KEY_RE.match(key):
        return _problem(400, "invalid_idempotency_key", _("The Idempotency-Key header is not valid."))
    db.session.rollback()  # start clean: the claim commits on its own
    row = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user_id,
                                                         IdempotencyKey.key == key))
    if row is not None:
        return _seen(row, fingerprint)
    claim = IdempotencyKey(user_id=user_id, key=key, method=request.method, path=request.path[:255],
                           fingerprint=fingerprint)
    db.session.add(claim)
    try:
        db.session.flush()
        g._idem_id = claim.id
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        g.pop("_idem_id", None)
        return _busy()
    return None


def _busy() -> Response:
    return _problem(409, "idempotency_in_progress",
                    _("This action is still being processed. Try again in a moment."), retry_after=2)


def _seen(row: IdempotencyKey, fingerprint: str | None = None) -> Response | None:
    """Answer a repeated key: the stored response, 'in progress', or a refusal if reused elsewhere."""
    if row.method != request.method or row.path != request.path[:255] or row.fingerprint != fingerprint:
        return _problem(422, "idempotency_key_reused",
                        _("This Idempotency-Key was already used for a different request."))
    if row.status is None:
        if row.created_at > utcnow() - STALE:
            return _busy()
        reclaimed = db.session.execute(update(IdempotencyKey).where(
            IdempotencyKey.id == row.id, IdempotencyKey.status.is_(None),
            IdempotencyKey.created_at == row.created_at).values(created_at=utcnow()))
        db.session.commit()
        if reclaimed.rowcount != 1:
            return _busy()
        g._idem_id = row.id
        return None
    resp = Response(row.body or b"", status=row.status, headers=json.loads(row.headers or "[]"))
    resp.headers["Idempotent-Replayed"] = "true"
    return resp


def finish(resp: Response) -> Response:
    """Store the response of a request that claimed a key (or release the key on a server error)."""
    idem_id = g.pop("_idem_id", None)
    if idem_id is None:
        return resp
    try:
        db.session.rollback()  # whatever the view did not commit is not ours to commit
        if resp.status_code >= 500 or resp.status_code in RELEASE:
            db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == idem_id))
        else:
            db.session.execute(update(IdempotencyKey).where(IdempotencyKey.id == idem_id).values(
                status=resp.status_code, headers=json.dumps(_kept_headers(resp)),
                body=_body(resp), completed_at=utcnow()))
            record_sync(resp, _session_user() or g.get("_idem_actor"))
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not store the response of idempotency key %s", idem_id)
    return resp


def _kept_headers(resp: Response) -> list:
    return [[k, v] for k, v in resp.headers.items() if k.lower() not in DROP_HEADERS]


def _body(resp: Response) -> bytes | None:
    if resp.direct_passthrough:  # send_file: read it once so it can be stored and still sent
        resp.direct_passthrough = False
    data = resp.get_data()
    return data if len(data) <= MAX_BODY else None


def before_request():
    """Claim the Idempotency-Key of a logged-in user's state-changing request (app-wide hook)."""
    key = request.headers.get(HEADER)
    if not key or request.method in READ_METHODS:
        return None
    user = _session_user()
    if user is None:
        return None
    return begin(user.id, key.strip(), g.get("idempotency_fingerprint"))


def idempotent(view=None, *, actor=None):
    """Make a view honour Idempotency-Key when its user is known only inside it (actor() → user)."""
    def decorate(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            key = request.headers.get(HEADER)
            if key and request.method not in READ_METHODS and "_idem_id" not in g:
                user = (actor or _session_user)()
                if user is not None:
                    g._idem_actor = user
                    early = begin(user.id, key.strip())
                    if early is not None:
                        return early
            return fn(*args, **kwargs)
        return wrapper
    return decorate(view) if view is not None else decorate


def prune(now=None) -> int:
    """Forget keys older than the retention window; return how many went."""
    cutoff = (now or utcnow()) - KEEP
    gone = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)).rowcount
    db.session.commit()
    return gone
