"""Marketplace adapters behind one interface: list orders updated in a window page by page, fetch one, write shipping back.

A pull channel's settings name its adapter (`adapter`), the platform's address (`base_url`, so tests
point it at a local fake) and `app_id`; the app secret is stored sealed in the channel's secret.
Adapters are called only from the worker (pull runs, outbox deliveries), never from a request.
"""
import json
from dataclasses import dataclass, field

from webapp.intake.models import Channel
from webapp.webhooks import keys

ADAPTERS: dict = {}


class PlatformError(Exception):
    """A platform call that failed: its code and message; transient ones (busy, 5xx, network) are worth retrying."""

    def __init__(self, message: str, code: str = "", transient: bool = False, per_order: bool = False):
        super().__init__(message)
        self.code, self.transient, self.per_order = str(code), transient, per_order  # per_order: only that order


@dataclass
class Page:
    """One page of a listing: the platform's order ids, and the key of the next page ('' when it was the last)."""

    ids: list
    next_key: str = ""


@dataclass
class Pulled:
    """One platform order mapped to ours: contract fields, lines (sku, quantity), its state and what write-back needs."""

    external_id: str
    updated: int  # the platform's update time, epoch seconds
    fields: dict
    items: list
    state: str = "open"  # open (create it) / unpaid (not yet) / cancelled
    ref: dict = field(default_factory=dict)  # kept in PullRef.data: e.g. transaction id, buyer openid
    problems: list = field(default_factory=list)
    raw: str = ""  # the platform's JSON, for the intake log


class Adapter:
    """The interface each marketplace adapter implements."""

    kind = ""
    label = ""
    default_url = ""
    writes_back = False  # can upload shipping info (carrier, tracking number) back to the platform
    window = 7 * 86400  # the widest update-time window one listing may ask for

    def __init__(self, settings: dict, secret: str):
        self.settings, self.secret = settings, secret
        self.base_url = str(settings.get("base_url") or "").rstrip("/")
        self.app_id = str(settings.get("app_id") or "")

    def list_updated(self, since: int, until: int, page_key: str = "") -> Page:
        """Return one page of the ids of orders updated in [since, until]."""
        raise NotImplementedError

    def fetch(self, external_id: str) -> Pulled:
        """Return one order, mapped (problems listed on it rather than raised, so the run goes on)."""
        raise NotImplementedError

    def upload_shipping(self, ref: dict, carrier: str, tracking_no: str, *, item_desc: str, phone: str) -> str:
        """Tell the platform the parcel left with this carrier and number; return the platform's answer."""
        raise NotImplementedError


def register_adapter(cls) -> type:
    """Add an adapter class to the registry under its kind."""
    ADAPTERS[cls.kind] = cls
    return cls


def settings_of(channel: Channel) -> dict:
    """Return a channel's settings as a dict (empty when unset or unreadable)."""
    try:
        value = json.loads(channel.settings or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def adapter_for(channel: Channel) -> Adapter | None:
    """Return the adapter a pull channel's settings name, ready to call; None when it has none."""
    settings = settings_of(channel)
    cls = ADAPTERS.get(settings.get("adapter") or "")
    if cls is None or channel.kind != "pull":
        return None
    return cls(settings, keys.unseal(channel.secret) if channel.secret else "")
