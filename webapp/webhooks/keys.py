"""Signing secrets: made as whsec_…, stored encrypted under a key derived from SECRET_KEY, used to sign.

Signatures come from the `standardwebhooks` library (the spec's own reference code): during a
rotation both the new and the previous secret sign, space-separated, as the spec allows.
"""
import base64
import secrets
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from standardwebhooks.webhooks import Webhook

PREFIX = "whsec_"


def new_secret() -> str:
    """Return a fresh signing secret: whsec_ and 32 random bytes in base64."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _fernet() -> Fernet:
    """Return the cipher for stored secrets: a database dump alone does not reveal them."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"orderhub webhook signing secrets").derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    """Encrypt a secret for storage."""
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    """Decrypt a stored secret (cryptography.fernet.InvalidToken if SECRET_KEY changed)."""
    return _fernet().decrypt(sealed.encode()).decode()


def signing_secrets(endpoint, now: datetime) -> list[str]:
    """Return the secrets that sign now: the current one, and the previous one until it expires."""
    found = [unseal(endpoint.secret)]
    if endpoint.previous_secret and endpoint.previous_until and endpoint.previous_until > now:
        try:
            found.append(unseal(endpoint.previous_secret))
        except InvalidToken:  # sealed under an older SECRET_KEY: rotating was the way out, so sign without it
            pass
    return found


def headers(secrets_: list[str], msg_id: str, at: datetime, body: str) -> dict:
    """Return the Standard Webhooks headers for one request signed with every given secret."""
    signature = " ".join(Webhook(s).sign(msg_id, at, body) for s in secrets_)
    return {"webhook-id": msg_id, "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": signature}
