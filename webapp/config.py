"""Settings: the one place that reads the environment (README lists every variable).

build_config() reads everything at start-up; setting() serves the few settings an operator may
change without a restart (SMS gateway, base URL, outbound allow-list): app.config first, else
ORDERHUB_<NAME> from the environment at the time of the call.
"""
import os
import secrets
from pathlib import Path

from flask import current_app

from webapp.vocab import OVERDUE_HOURS


def _secret_key(instance: Path) -> str:
    """Return SECRET_KEY from the environment, else one generated once into instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def build_config(instance_path: str) -> dict:
    """Build the app configuration from the environment."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'orderhub.db'}"
    max_upload = int(os.environ.get("ORDERHUB_MAX_UPLOAD", 16 * 1024 * 1024))
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": db_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "ORDERHUB_TZ": os.environ.get("ORDERHUB_TZ", "Asia/Shanghai"),
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("ORDERHUB_TZ", "Asia/Shanghai"),
        "LANGUAGES": ["zh_CN", "en"],
        "MAX_CONTENT_LENGTH": max_upload,
        "MAX_FORM_POST": 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("ORDERHUB_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "STATIC_BUILD_DIR": os.environ.get("ORDERHUB_STATIC_BUILD_DIR", str(instance / "static-build")),
        "UPLOAD_DIR": os.environ.get("ORDERHUB_UPLOAD_DIR", str(instance / "uploads")),
        "OVERDUE_HOURS": int(os.environ.get("ORDERHUB_OVERDUE_HOURS", OVERDUE_HOURS)),
        "APPROVAL_LIMIT": os.environ.get("ORDERHUB_APPROVAL_LIMIT", "50000.00"),
        "PUSH_TTL": int(os.environ.get("ORDERHUB_PUSH_TTL", 24 * 3600)),
        "PUSH_TIMEOUT": float(os.environ.get("ORDERHUB_PUSH_TIMEOUT", 10)),
        "PHOTO_MAX_BYTES": int(os.environ.get("ORDERHUB_PHOTO_MAX_BYTES", max_upload)),
        "LOGIN_THROTTLE": True,
        "API_RATE_LIMIT": int(os.environ.get("ORDERHUB_API_RATE_LIMIT", 120)),  # requests per token per minute
    }


def setting(name: str, default=None):
    """Return config `name`, else environment variable ORDERHUB_<name>, else `default`."""
    value = current_app.config.get(name)
    if value in (None, ""):
        value = os.environ.get(f"ORDERHUB_{name}")
    return default if value in (None, "") else value
