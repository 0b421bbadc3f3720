"""Second verification (step-up): a fresh password or TOTP check, valid for 5 minutes, kept in the session.

Views guarding a dangerous action call `require_recent(user)` first; it raises StepUpRequired
(401, code "stepup_required"), which is answered with the re-authentication form (or an
HX-Redirect to it for htmx, or JSON for API clients) and comes back to the page afterwards.
"""
import time

import pyotp
from flask import session
from flask_babel import lazy_gettext as _l

from webapp.core.errors import AppError

WINDOW_SECONDS = 5 * 60
_AT, _UID = "stepup_at", "stepup_uid"


class StepUpRequired(AppError):
    """The action needs a fresh second verification."""

    def __init__(self):
        super().__init__(401, _l("This action needs a second verification: confirm it is you "
                                 "(valid for 5 minutes)."), code="stepup_required")


def is_recent(user) -> bool:
    """Say whether this session's user passed a second verification in the last 5 minutes."""
    at = session.get(_AT)
    if user is None or session.get(_UID) != getattr(user, "id", None) or not isinstance(at, (int, float)):
        return False
    return 0 <= time.time() - at < WINDOW_SECONDS


def require_recent(user) -> None:
    """Raise StepUpRequired unless the user passed a second verification in the last 5 minutes."""
    if not is_recent(user):
        raise StepUpRequired()


def mark_verified(user) -> None:
    """Remember in the session that the user just verified again."""
    session[_AT] = time.time()
    session[_UID] = user.id


def remaining_seconds(user) -> int:
    """Return how many seconds the current step-up still lasts (0 when none)."""
    if not is_recent(user):
        return 0
    return max(0, int(WINDOW_SECONDS - (time.time() - session[_AT])))


def check_totp(secret: str, code: str, last_counter: int | None = None) -> int | None:
    """Return the time step a TOTP code matches (±1 step), else None; a step already used is refused."""
    code = (code or "").strip().replace(" ", "")
    if not secret or not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    for counter in (now, now - 1, now + 1):
        if totp.at(counter * totp.interval) == code and (last_counter is None or counter > last_counter):
            return counter
    return None


def guard_admin_page(action: str = "admin_console"):
    """Before a request to an admin page: log in first, hold `action`, and step up before any change.

    The one guard of every admin page (console, tokens, webhooks, robots); use with bp.before_request.
    """
    from flask import request
    from flask_login import current_user

    from webapp.access.policy import require
    from webapp.core.db import READ_METHODS
    from webapp.extensions import login_manager

    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(action)
    if request.method not in READ_METHODS:
        require_recent(current_user)
    return None
