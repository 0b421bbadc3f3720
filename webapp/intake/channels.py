"""Channels as data: the built-in vocabulary plus the ones an admin adds (`flask channel add`)."""
import re
import time

from sqlalchemy import select

from webapp.extensions import db
from webapp.intake.models import Channel
from webapp.vocab import CHANNELS

CODE = re.compile(r"^[a-z][a-z0-9_]{1,15}$")


class ChannelError(ValueError):
    """A channel that cannot be added or is not known."""


def known() -> list[str]:
    """Return every channel an order may come from: built-ins and active added ones, sorted."""
    added = db.session.scalars(select(Channel.code).where(Channel.active.is_(True)))
    return sorted(set(CHANNELS) | set(added))


def accepts(code: str) -> bool:
    """Say whether `code` is a channel an order may come from (the hook order validation calls)."""
    if code in CHANNELS:
        return True
    return bool(code) and db.session.scalar(
        select(Channel.id).where(Channel.code == code, Channel.active.is_(True))) is not None


def require(code: str) -> str:
    """Return code when it is a known channel; else raise ChannelError listing the known ones."""
    if not accepts(code):
        raise ChannelError(f"unknown channel {code!r}; known channels: {', '.join(known())}")
    return code


def add(code: str, label: str, kind: str = "manual", user=None) -> tuple[Channel, str | None]:
    """Add a channel (or re-activate one); return it and, for a push channel, its new secret (shown once).

    A push channel needs the user whose permissions its orders are written with. The caller commits.
    """
    code = (code or "").strip().lower()
    label = (label or "").strip()
    if not CODE.match(code):
        raise ChannelError("a channel code is 2–16 lowercase letters, digits or _, starting with a letter")
    if not label or len(label) > 64:
        raise ChannelError("a label of 1–64 characters is required")
    channel = db.session.scalar(select(Channel).where(Channel.code == code))
    if channel is not None and channel.active:
        raise ChannelError(f"channel {code!r} already exists")
    if channel is None:
        channel = Channel(code=code, label=label, kind=kind, builtin=code in CHANNELS, active=True)
        db.session.add(channel)
    if kind in ("push", "pull") and user is None:
        raise ChannelError(f"a {kind} channel needs --user, the user its orders are written as")
    channel.label, channel.active, channel.kind = label, True, kind
    channel.user_id = getattr(user, "id", None)
    secret = None
    if kind == "push":
        from webapp.webhooks import keys
        secret = keys.new_secret()
        channel.secret = keys.seal(secret)
    db.session.flush()
    return channel, secret


CACHE_SECONDS = 30  # how long an app server keeps the list of added channels (board filter, forms)


def added_labels() -> dict[str, str]:
    """Return {code: label} of the active channels an admin added, cached per app for CACHE_SECONDS.

    The board asks on every page; a channel added on another server shows there within CACHE_SECONDS.
    """
    from flask import current_app
    cache = current_app.extensions.setdefault("intake_channels", {})
    hit = cache.get("added")
    if hit and hit[0] > time.monotonic():
        return hit[1]
    rows = db.session.execute(select(Channel.code, Channel.label).where(
        Channel.active.is_(True), Channel.code.not_in(CHANNELS)).order_by(Channel.code)).all()
    labels = {code: label for code, label in rows}
    cache["added"] = (time.monotonic() + CACHE_SECONDS, labels)
    return labels


def forget_cache() -> None:
    """Drop this app server's cached channel list (after an admin changed a channel)."""
    from flask import current_app
    current_app.extensions.get("intake_channels", {}).pop("added", None)
