"""Settings read from the environment (see CONTRACT.md)."""
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": db_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "ORDERHUB_TZ": os.environ.get("ORDERHUB_TZ", "Asia/Shanghai"),
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("ORDERHUB_TZ", "Asia/Shanghai"),
        "LANGUAGES": ["zh_CN", "en"],
        "MAX_CONTENT_LENGTH": int(os.environ.get("ORDERHUB_MAX_UPLOAD", 16 * 1024 * 1024)),
        "MAX_FORM_POST": 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("ORDERHUB_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "UPLOAD_DIR": os.environ.get("ORDERHUB_UPLOAD_DIR", str(instance / "uploads")),
        "OVERDUE_HOURS": int(os.environ.get("ORDERHUB_OVERDUE_HOURS", 48)),
        "LOGIN_THROTTLE": True,
    }
