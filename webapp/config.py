"""Settings: the one place that reads the environment (README lists every variable).

build_config() reads everything at start-up; setting() serves the few settings an operator may
change without a restart (SMS gateway, base URL, outbound allow-list): app.config first, else
ORDERHUB_<NAME> from the environment at the time of the call.
"""
import logging
import os
import secrets
from pathlib import Path

from flask import current_app

from webapp.vocab import OVERDUE_HOURS

log = logging.getLogger(__name__)
UNPREFIXED = ("VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "VAPID_SUBJECT")  # first documented without ORDERHUB_


def _secret_key(instance: Path) -> str:
    """Return SECRET_KEY from the environment, else one generated once into instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    if _shared_backends():
        log.warning("SECRET_KEY is not set: using instance/secret_key, which is this host's alone. Set the same "
                    "SECRET_KEY on every app server and worker, or sessions, QR labels and links fail across hosts.")
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _shared_backends() -> bool:
    """Say whether a shared database or Redis is configured: the sign of more than one host."""
    url = os.environ.get("DATABASE_URL", "")
    return bool(os.environ.get("REDIS_URL")) or bool(url and not url.startswith("sqlite"))


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
        "SESSION_IDLE_MINUTES": int(os.environ.get("ORDERHUB_SESSION_IDLE_MINUTES", 8 * 60)),  # a work shift
        "SESSION_MAX_DAYS": int(os.environ.get("ORDERHUB_SESSION_MAX_DAYS", 7)),  # then log in again
        "PROXY_HOPS": int(os.environ.get("ORDERHUB_PROXY_HOPS", 0)),  # proxies whose X-Forwarded-* count
        "BASE_URL_FALLBACK": f"http://127.0.0.1:{os.environ.get('PORT', '5000')}",  # when ORDERHUB_BASE_URL is unset
        "API_RATE_LIMIT": int(os.environ.get("ORDERHUB_API_RATE_LIMIT", 120)),  # requests per token per minute
        # audit log (issue 17): the chain's key lives outside the database; checkpoints are written outside it too
        "AUDIT_KEY": os.environ.get("ORDERHUB_AUDIT_KEY") or None,  # unset: derived from SECRET_KEY (audit.chain)
        "AUDIT_ANCHOR_DIR": os.environ.get("ORDERHUB_AUDIT_ANCHOR_DIR", str(instance / "audit-anchors")),
        # operations (issue 17): scheduled backups, /metrics access, request logs
        "BACKUP_DIR": os.environ.get("ORDERHUB_BACKUP_DIR") or None,  # unset: no scheduled backup
        "BACKUP_KEEP": int(os.environ.get("ORDERHUB_BACKUP_KEEP", 14)),
        "METRICS_ALLOW": os.environ.get("ORDERHUB_METRICS_ALLOW", "127.0.0.1"),  # IPs or networks, comma-separated
        "METRICS_TOKEN": os.environ.get("ORDERHUB_METRICS_TOKEN") or None,
        "METRICS_MULTIPROC_DIR": os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None,  # gunicorn: shared metrics
        "LOG_FORMAT": os.environ.get("ORDERHUB_LOG_FORMAT") or None,  # json | text | off; unset: json unless debug
        # photos (issue 17): the upload directory by default, S3-compatible object storage when a bucket is set
        "S3_BUCKET": os.environ.get("ORDERHUB_S3_BUCKET") or None,
        "S3_ENDPOINT": os.environ.get("ORDERHUB_S3_ENDPOINT") or None,  # unset: AWS itself
        "S3_REGION": os.environ.get("ORDERHUB_S3_REGION") or None,
        "S3_ACCESS_KEY_ID": os.environ.get("ORDERHUB_S3_ACCESS_KEY_ID") or None,  # unset: boto3's chain (AWS_*)
        "S3_SECRET_ACCESS_KEY": os.environ.get("ORDERHUB_S3_SECRET_ACCESS_KEY") or None,
        "S3_PREFIX": os.environ.get("ORDERHUB_S3_PREFIX", ""),
        "ORPHAN_MINUTES": int(os.environ.get("ORDERHUB_ORPHAN_MINUTES", 30)),  # older photo files without a row go
        "IMAGE_CONCURRENCY": int(os.environ.get("ORDERHUB_IMAGE_CONCURRENCY", 1)),  # pictures decoded at once
        "IMAGE_WAIT": float(os.environ.get("ORDERHUB_IMAGE_WAIT", 20)),  # seconds a picture waits for its turn
        "IMAGE_MAX_FULL_PIXELS": int(os.environ.get("ORDERHUB_IMAGE_MAX_FULL_PIXELS", 25_000_000)),  # non-JPEG cap
    }


def setting(name: str, default=None):
    """Return config `name`, else environment variable ORDERHUB_<name>, else `default`."""
    value = current_app.config.get(name)
    if value in (None, ""):
        value = os.environ.get(f"ORDERHUB_{name}")
    if value in (None, "") and name in UNPREFIXED:
        value = os.environ.get(name)
    return default if value in (None, "") else value
