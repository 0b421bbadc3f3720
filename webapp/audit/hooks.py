"""Put logins (success and failure) and logouts in the audit log."""
from types import SimpleNamespace

from flask import has_request_context, request
from flask_login import user_logged_in, user_logged_out

from webapp.audit.services import record
from webapp.extensions import db

ANONYMOUS = SimpleNamespace(id=None, username="anonymous")


def _via() -> str:
    return "api" if has_request_context() and request.path.startswith("/api/") else "web"


def _ip() -> str:
    return (request.remote_addr or "unknown") if has_request_context() else "-"


def _logged_in(_app, user, **_extra):
    """Record a successful login; the login view has committed its own work before login_user()."""
    record("login", actor=user, via=_via(), detail=f"ip={_ip()}")
    db.session.commit()


def _logged_out(_app, user, **_extra):
    """Record a logout."""
    if getattr(user, "id", None) is None:
        return
    record("logout", actor=user, via=_via(), detail=f"ip={_ip()}")
    db.session.commit()


def login_failed(username: str, outcome: str) -> None:
    """Record a refused login (wrong password, unknown user, disabled, throttled); the caller commits."""
    record("login_failed", actor=ANONYMOUS, via=_via(), field="user", new=(username or "").strip().lower()[:64],
           detail=f"outcome={outcome} ip={_ip()}")


def connect() -> None:
    """Listen to flask-login's login and logout signals (once per process)."""
    user_logged_in.connect(_logged_in)
    user_logged_out.connect(_logged_out)
