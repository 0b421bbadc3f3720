"""Human names of states, channels and regions, in the user's language."""
from flask_babel import lazy_gettext as _l

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
    "offline_form": _l("Paper form"),
}
REGION_LABELS = {
    "east": _l("East China"),
    "north": _l("North China"),
    "south": _l("South China"),
    "central": _l("Central China"),
    "southwest": _l("Southwest"),
    "northwest": _l("Northwest"),
    "northeast": _l("Northeast"),
}


def state_label(state: str) -> str:
    """Return the translated name of a state."""
    return str(STATE_LABELS.get(state, state))


def channel_label(channel: str) -> str:
    """Return the translated name of a channel."""
    return str(CHANNEL_LABELS.get(channel, channel))


def region_label(region: str | None) -> str:
    """Return the translated name of a region code."""
    return str(REGION_LABELS.get(region, region or "—"))
