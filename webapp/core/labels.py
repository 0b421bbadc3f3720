"""Human names of the vocabulary (states, steps, channels, regions, write paths) in the user's language.

The codes come from webapp.vocab; region names are the vocabulary's own Chinese and English names.
"""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from webapp.vocab import REGIONS

STATE_LABELS = {
    "pending_payment": _l("Pending payment"),
    "awaiting_approval": _l("Awaiting approval"),
    "confirmed": _l("Confirmed"),
    "in_production": _l("In production"),
    "outbound": _l("Outbound"),
    "in_transit": _l("In transit"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}
CHANNEL_LABELS = {
    "web": _l("Website"),
    "shop": _l("Web shop"),
    "miniprogram": _l("Mini-program"),
    "marketplace": _l("Marketplace"),
    "wechat": _l("WeChat group"),
    "phone": _l("Phone"),
    "wechat_group": _l("WeChat group list (接龙)"),
    "offline_form": _l("Paper form"),
}
PAYER_LABELS = {"customer": _l("Customer pays shipping"), "us": _l("Free shipping (we pay)")}  # issue 16
VIA_LABELS = {"web": _l("web"), "api": _l("API"), "offline": _l("offline replay"), "intake": _l("channel intake"),
              "system": _l("system")}


def state_label(state: str) -> str:
    """Return the translated name of a state."""
    return str(STATE_LABELS.get(state, state))


def channel_label(channel: str) -> str:
    """Return the translated name of a channel."""
    return str(CHANNEL_LABELS.get(channel, channel))


def payer_label(payer: str) -> str:
    """Return who pays shipping (vocab.SHIPPING_PAYERS) as people read it."""
    return str(PAYER_LABELS.get(payer, payer))


def region_label(region: str | None) -> str:
    """Return a region's name in the user's language (its code if unknown, — if none)."""
    names = REGIONS.get(region or "")
    if names is None:
        return region or "—"
    return names[1] if str(get_locale() or "zh_CN").startswith("en") else names[0]


def region_labels() -> dict:
    """Return {code: name} for every region, in the user's language."""
    return {code: region_label(code) for code in REGIONS}


def step_label(source: str, target: str) -> str:
    """Return a step as people read it: "Confirmed → In production"."""
    return f"{state_label(source)} → {state_label(target)}"


def via_label(via: str) -> str:
    """Return the translated name of a write path."""
    return str(VIA_LABELS.get(via, via))
