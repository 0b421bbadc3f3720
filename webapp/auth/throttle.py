"""Login throttling that cannot be turned against a user (OWASP "device cookies").

Failures slow down only the client that makes them:
- an unknown client (no valid device cookie for the account) is slowed per (account, IP) and per IP;
- a device where the account logged in before carries a signed device cookie and has its own
  allowance, counted on that device alone, so nobody else's failures slow it down;
- guessing at one account from many addresses (≥ DISTRIBUTED_IPS) slows unknown clients of that
  account, never its known devices.
Delays grow (1 s, 2 s, 4 s … up to a cap); there is no hard lockout. Sustained guessing leaves a
`login_guessing` audit entry (at most one an hour per account or address) that the admin console flags;
listeners registered with on_guessing() hear of each alert about an account (the ops domain pushes the
holders of the admin console right, once per alert, through the outbox).
Attempts older than KEEP are pruned by the worker (prune()).
"""
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, distinct, func, select

from webapp.audit.hooks import ANONYMOUS
from webapp.audit.models import AuditEntry
from webapp.audit.services import record
from webapp.auth.models import LoginAttempt
from webapp.core.db import utcnow
from webapp.extensions import db

WINDOW = timedelta(hours=1)
KEEP = timedelta(days=30)  # attempts older than this are pruned: throttling looks back one WINDOW only
FAILURES = ("bad_password", "unknown_user")
DEVICE_COOKIE = "orderhub_device"
DEVICE_DAYS = 365
MAX_DEVICE_ENTRIES = 5
DISTRIBUTED_IPS = 5
ALERT_ACCOUNT, ALERT_IP = 20, 50
ALERT_ACTION = "login_guessing"
_listeners: list = []  # on_guessing(): who hears about an alert (the ops domain pushes the admins)


@dataclass(frozen=True)
class Rule:
    """A growing delay after `free` failures in the window, capped at `cap` seconds."""

    free: int
    cap: int
    reset_on_success: bool = True


ACCOUNT_CLIENT = Rule(free=3, cap=60)
CLIENT = Rule(free=20, cap=300, reset_on_success=False)  # an attacker's own login must not reset it
DEVICE = Rule(free=5, cap=60)
ACCOUNT_DISTRIBUTED = Rule(free=10, cap=300)


def _key() -> bytes:
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"orderhub device cookie", hashlib.sha256).digest()


def _mac(username: str, nonce: str) -> str:
    return hmac.new(_key(), f"{username.lower()}\0{nonce}".encode(), hashlib.sha256).hexdigest()[:32]


def device_for(cookie: str | None, username: str) -> str | None:
    """Return the nonce of the device-cookie entry issued to `username`, if the cookie holds a valid one."""
    for entry in (cookie or "")[:1000].split("~")[:MAX_DEVICE_ENTRIES]:
        nonce, _sep, mac = entry.partition(".")
        if nonce and mac and hmac.compare_digest(mac, _mac(username, nonce)):
            return nonce[:32]
    return None


def device_cookie(cookie: str | None, username: str) -> str:
    """Return the device cookie after a successful login: this account's entry first, others kept."""
    nonce = device_for(cookie, username) or secrets.token_urlsafe(12)
    mine = f"{nonce}.{_mac(username, nonce)}"
    others = [e for e in (cookie or "")[:1000].split("~") if e and e != mine]
    return "~".join([mine] + others[:MAX_DEVICE_ENTRIES - 1])


def _wait(rule: Rule, *who, now) -> int:
    since = now - WINDOW
    if rule.reset_on_success:
        last_ok = db.session.scalar(select(func.max(LoginAttempt.at)).where(*who, LoginAttempt.success.is_(True)))
        since = max(since, last_ok or since)
    count, last = db.session.execute(select(func.count(), func.max(LoginAttempt.at)).where(
        *who, LoginAttempt.outcome.in_(FAILURES), LoginAttempt.at > since)).one()
    if count < rule.free or last is None:
        return 0
    delay = min(2 ** (count - rule.free), rule.cap)
    return max(0, int((last + timedelta(seconds=delay) - now).total_seconds() + 0.999))


def _distinct_ips(username: str, now) -> int:
    return db.session.scalar(select(func.count(distinct(LoginAttempt.ip))).where(
        LoginAttempt.username == username, LoginAttempt.device.is_(None),
        LoginAttempt.outcome.in_(FAILURES), LoginAttempt.at > now - WINDOW)) or 0


def wait_seconds(username: str, ip: str, device: str | None = None) -> int:
    """Return how long this client must wait before trying `username` again (0: go ahead)."""
    if not current_app.config.get("LOGIN_THROTTLE", True):
        return 0
    username, now = username.strip().lower(), utcnow()
    account = LoginAttempt.username == username
    if device:
        return _wait(DEVICE, account, LoginAttempt.device == device, now=now)
    unknown = LoginAttempt.device.is_(None)
    waits = [_wait(ACCOUNT_CLIENT, account, LoginAttempt.ip == ip, unknown, now=now),
             _wait(CLIENT, LoginAttempt.ip == ip, unknown, now=now)]
    if _distinct_ips(username, now) >= DISTRIBUTED_IPS:
        waits.append(_wait(ACCOUNT_DISTRIBUTED, account, unknown, now=now))
    return max(waits)


def record_attempt(username: str, ip: str, outcome: str, device: str | None = None) -> None:
    """Record one login attempt (the caller commits); flag sustained guessing to the admins."""
    username = username.strip().lower()[:64]
    db.session.add(LoginAttempt(username=username, ip=ip[:64], success=outcome == "ok", outcome=outcome,
                                device=device))
    if outcome in FAILURES and device is None:
        db.session.flush()
        _flag_guessing(username, ip[:64])


def _failures(*who, now) -> int:
    return db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
        *who, LoginAttempt.device.is_(None), LoginAttempt.outcome.in_(FAILURES), LoginAttempt.at > now - WINDOW)) or 0


def _flag_guessing(username: str, ip: str) -> None:
    """Write one `login_guessing` audit entry an hour per targeted account or guessing address."""
    now = utcnow()
    targets = [("user", username, _failures(LoginAttempt.username == username, now=now), ALERT_ACCOUNT),
               ("ip", ip, _failures(LoginAttempt.ip == ip, now=now), ALERT_IP)]
    for field, value, count, limit in targets:
        if count < limit:
            continue
        seen = db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == ALERT_ACTION, AuditEntry.field == field, AuditEntry.new == value,
            AuditEntry.at > now - WINDOW).limit(1))
        if seen is None:
            entry = record(ALERT_ACTION, actor=ANONYMOUS, via="web", field=field, new=value,
                           detail=f"failures={count} window=1h last_ip={ip}")
            for fn in _listeners if field == "user" else ():
                fn(entry, value, count)


def on_guessing(fn) -> None:
    """Register fn(entry, username, failures), called in the transaction of each alert about an account."""
    if fn not in _listeners:
        _listeners.append(fn)


def recent_alerts(hours: int = 24) -> list[AuditEntry]:
    """Return the guessing alerts of the last `hours`, newest first (for the admin console)."""
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == ALERT_ACTION, AuditEntry.at > utcnow() - timedelta(hours=hours))
        .order_by(AuditEntry.id.desc()).limit(20)))


def prune(now=None) -> int:
    """Delete login attempts older than KEEP (the caller commits); return how many went."""
    cutoff = (now or utcnow()) - KEEP
    return db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < cutoff)).rowcount or 0
