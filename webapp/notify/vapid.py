"""VAPID keys for web push: from VAPID_PRIVATE_KEY, else generated once into instance/vapid_private.pem."""
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from flask import Flask
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode

_cache: dict = {}


def _key_path(app: Flask) -> Path:
    return Path(app.config.get("VAPID_KEY_FILE") or Path(app.instance_path) / "vapid_private.pem")


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


def vapid(app: Flask) -> Vapid02:
    """Return the app's VAPID signer (private key)."""
    raw = os.environ.get("VAPID_PRIVATE_KEY") or app.config.get("VAPID_PRIVATE_KEY")
    key = ("env", raw) if raw else ("file", str(_key_path(app)))
    if key not in _cache:
        if raw:
            text = raw.strip()
            _cache[key] = Vapid02.from_pem(text.encode()) if "-----BEGIN" in text else Vapid02.from_string(text)
        else:
            _generate_once(_key_path(app))
            _cache[key] = Vapid02.from_file(str(_key_path(app)))
    return _cache[key]


def public_key(app: Flask) -> str:
    """Return the application server key browsers subscribe with (base64url, uncompressed point)."""
    given = os.environ.get("VAPID_PUBLIC_KEY") or app.config.get("VAPID_PUBLIC_KEY")
    if given:
        return given.strip()
    point = vapid(app).public_key.public_bytes(serialization.Encoding.X962,
                                               serialization.PublicFormat.UncompressedPoint)
    return b64urlencode(point)


def subject(app: Flask) -> str:
    """Return the VAPID contact (mailto: or https:) push services may use to reach the operator."""
    return (os.environ.get("VAPID_SUBJECT") or app.config.get("VAPID_SUBJECT")
            or "mailto:ops@orderhub.example")
