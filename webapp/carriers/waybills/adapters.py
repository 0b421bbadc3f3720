"""Waybill adapters behind one interface, in a registry: 顺丰 (SF open platform) and 菜鸟 (Cainiao e-waybill).

Each adapter builds the vendor's signed request for one shipment and reads its answer into an Answer.
The carrier is always asked with our order number as its order id, so asking again (a retry, a
second worker) returns the same waybill instead of a second one. Credentials come from settings
(ORDERHUB_WAYBILL_CARRIER picks the adapter); nothing here touches the database.
"""
import base64
import hashlib
import json
from dataclasses import dataclass, field

from webapp.config import setting

FORM = {"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", "User-Agent": "OrderHub-Waybill/1"}


@dataclass(frozen=True)
class Party:
    """Who sends or receives the parcel: name, phone and the full address on one line."""

    name: str
    phone: str
    address: str


@dataclass(frozen=True)
class Shipment:
    """What a waybill request says: our order number, sender, recipient and the items (name, quantity)."""

    order_no: str
    sender: Party
    recipient: Party
    items: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class Answer:
    """A carrier's answer: ok with a number, or refused (retry says whether asking again may help).

    lookup is True when the carrier says this order id was already ordered: ask for its number instead.
    """

    ok: bool
    number: str = ""
    code: str = ""
    message: str = ""
    retry: bool = False
    lookup: bool = False


def md5_base64(text: str) -> str:
    """Return base64 of the MD5 digest of text (UTF-8), the digest both carriers sign with."""
    return base64.b64encode(hashlib.md5(text.encode()).digest()).decode()


def compact(value) -> str:
    """Return value as compact JSON, Chinese kept as is (what is signed is exactly what is sent)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def transient(status: int | None) -> bool:
    """Say whether an HTTP outcome is worth retrying: no answer, rate-limited or a server error."""
    return status is None or status == 429 or status >= 500


def _registry() -> dict:
    from webapp.carriers.waybills.cainiao import Cainiao
    from webapp.carriers.waybills.sf import SFExpress
    return {adapter.kind: adapter for adapter in (SFExpress(), Cainiao())}


ADAPTERS: dict = {}


def adapters() -> dict:
    """Return the registry of waybill adapters by kind."""
    if not ADAPTERS:
        ADAPTERS.update(_registry())
    return ADAPTERS


def active():
    """Return the adapter ORDERHUB_WAYBILL_CARRIER names when it is configured, else None (manual hand-over)."""
    adapter = adapters().get(str(setting("WAYBILL_CARRIER", "")).strip().lower())
    return adapter if adapter is not None and adapter.configured() else None


def sender() -> Party:
    """Return the sender printed on waybills (ORDERHUB_SHIP_FROM_*; the shop's name and phone by default)."""
    return Party(str(setting("SHIP_FROM_NAME") or setting("SHOP_NAME") or "本店"),
                 str(setting("SHIP_FROM_PHONE") or setting("SHOP_PHONE") or ""),
                 str(setting("SHIP_FROM_ADDRESS", "")))
