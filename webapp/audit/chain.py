"""The audit chain's hashing: the audit key (held outside the database) and the two hash schemes.

Scheme 1 (entries written before issue 17): sha256(previous hash ‖ canonical entry) — anyone with write
access to the database can recompute it. Scheme 2 (every entry since): HMAC-SHA256 of the same bytes,
keyed with a sub-key of the audit key, so a rewritten entry cannot be given a matching hash without it.
The first keyed entry links to the last plain one; once an entry is keyed, every later one must be.

The audit key is ORDERHUB_AUDIT_KEY; when unset it is derived from SECRET_KEY under its own label
(so it is as secret as the session key, and changes with it). Sub-keys are derived per purpose.
"""
import hashlib
import hmac
import json

from flask import current_app

LEGACY, KEYED = 1, 2
GENESIS = "0" * 64
DERIVE_LABEL = b"orderhub/audit-key/v1"  # the audit key derived from SECRET_KEY, distinct from other uses


def key_source() -> str:
    """Say where the audit key comes from: 'ORDERHUB_AUDIT_KEY' or 'SECRET_KEY (derived)'."""
    return "ORDERHUB_AUDIT_KEY" if current_app.config.get("AUDIT_KEY") else "SECRET_KEY (derived)"


def audit_key() -> bytes:
    """Return the audit key: ORDERHUB_AUDIT_KEY, else HMAC(SECRET_KEY, DERIVE_LABEL)."""
    configured = current_app.config.get("AUDIT_KEY")
    if configured:
        return str(configured).encode()
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, DERIVE_LABEL, hashlib.sha256).digest()


def subkey(purpose: str) -> bytes:
    """Return the key for one purpose ('chain', 'anchor'), derived from the audit key."""
    return hmac.new(audit_key(), f"orderhub/audit/{purpose}".encode(), hashlib.sha256).digest()


def canonical(entry) -> str:
    """Return the entry's content as canonical JSON (what its hash covers)."""
    return json.dumps({
        "at": entry.at.isoformat(), "actor_id": entry.actor_id, "actor": entry.actor, "via": entry.via,
        "action": entry.action, "order_no": entry.order_no, "field": entry.field, "old": entry.old,
        "new": entry.new, "detail": entry.detail,
        "device_at": entry.device_at.isoformat() if entry.device_at else None,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(prev_hash: str, entry, scheme: int | None = None, key: bytes | None = None) -> str:
    """Return the entry's hash under its scheme (keyed unless it says 1)."""
    scheme = scheme or entry.scheme or KEYED
    message = (prev_hash + canonical(entry)).encode()
    if scheme == LEGACY:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key or subkey("chain"), message, hashlib.sha256).hexdigest()


def sign(payload: dict, key: bytes | None = None) -> str:
    """Return the HMAC-SHA256 signature of a checkpoint's fields (canonical JSON, `sig` left out)."""
    body = json.dumps({k: v for k, v in payload.items() if k != "sig"}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key or subkey("anchor"), body.encode(), hashlib.sha256).hexdigest()


def signature_ok(payload: dict, key: bytes | None = None) -> bool:
    """Say whether a checkpoint carries a valid signature."""
    return isinstance(payload.get("sig"), str) and hmac.compare_digest(payload["sig"], sign(payload, key))
