"""VAPID keys for web push, the same on every host.

From the VAPID_PRIVATE_KEY setting (ORDERHUB_VAPID_PRIVATE_KEY, or the older VAPID_PRIVATE_KEY);
else from an explicitly configured key file (VAPID_KEY_FILE); else generated once and kept in the
database (app_secrets), where every app server and worker reads the same key. A key an older
version generated into instance/vapid_private.pem is adopted, so existing subscriptions keep working.
"""
import os
import tempfile
from contextlib import nullcontext
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from flask import Flask, current_app, has_app_context
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode

from webapp.config import setting
from webapp.core.appsecrets import get_or_create

SECRET_NAME = "vapid_private_pem"
_cache: dict = {}


def _generate_once(path: Path) -> None:
    """Write a new key unless one is there; of two processes racing, the first link wins."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = Vapid02()
    fresh.generate_keys()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")
    os.close(fd)
    os.chmod(tmp, 0o600)
    fresh.save_key(tmp)
    try:
        os.link(tmp, path)  # atomic and refuses to overwrite
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)


def _new_pem(app: Flask) -> str:
    """Return the PEM to store: the key this host made before keys were shared, else a fresh one."""
    legacy = Path(app.instance_path) / "vapid_private.pem"
    if legacy.is_file():
        return legacy.read_text()
    fresh = Vapid02()
    fresh.generate_keys()
    return fresh.private_pem().decode()


def _load(text: str) -> Vapid02:
    text = text.strip()
    return Vapid02.from_pem(text.encode()) if "-----BEGIN" in text else Vapid02.from_string(text)


def _context(app: Flask):
    return nullcontext() if has_app_context() else app.app_context()


def vapid(app: Flask) -> Vapid02:
    """Return the app's VAPID signer (private key)."""
    with _context(app):
        raw = setting("VAPID_PRIVATE_KEY")
        key_file = app.config.get("VAPID_KEY_FILE")
        if raw:
            key = ("given", raw)
        elif key_file:
            key = ("file", str(key_file))
        else:
            key = ("db", app.config["SQLALCHEMY_DATABASE_URI"])
        if key not in _cache:
            if raw:
                _cache[key] = _load(raw)
            elif key_file:
                _generate_once(Path(key_file))
                _cache[key] = Vapid02.from_file(str(key_file))
            else:
                _cache[key] = _load(get_or_create(SECRET_NAME, lambda: _new_pem(app)))
        return _cache[key]


def ensure() -> None:
    """Make sure the key exists before a transaction of this process needs it (run as a worker starts)."""
    vapid(current_app._get_current_object())


def public_key(app: Flask) -> str:
    """Return the application server key browsers subscribe with (base64url, uncompressed point)."""
    with _context(app):
        given = setting("VAPID_PUBLIC_KEY")
    if given:
        return given.strip()
    point = vapid(app).public_key.public_bytes(serialization.Encoding.X962,
                                               serialization.PublicFormat.UncompressedPoint)
    return b64urlencode(point)


def subject(app: Flask) -> str:
    """Return the VAPID contact (mailto: or https:) push services may use to reach the operator."""
    with _context(app):
        return setting("VAPID_SUBJECT", "mailto:ops@orderhub.example")
