"""Real shop-platform push formats for POST /intake/push/<code>, chosen by the channel's settings (`push_format`).

有赞 (Youzan) pushes: the body is JSON {"client_id", "id" (the trade number), "kdt_id", "kdt_name",
"type" (e.g. trade_TradeCreate, trade_TradePaid), "status", "msg" (URL-encoded JSON of the trade:
full_order_info.order_info / address_info / remark_info / orders[] / pay_info), "version", "test", …};
the request is signed with header Event-Sign = md5(client_id + body + client_secret), with Client-Id
and Event-Type beside it. Youzan's messages carry no signed timestamp, so stale replays cannot be told
apart from Youzan's own retries; they are harmless because a trade creates one order per
(channel, external id). Trade messages other than creation/payment are acknowledged and ignored.
"""
import hashlib
import hmac
import json
from urllib.parse import unquote_plus

from webapp.intake import services
from webapp.intake.models import Channel
from webapp.intake.pull.adapters import settings_of
from webapp.webhooks import keys

SIGNED_BY_PLATFORM = {"youzan"}  # formats whose secret is the platform's app secret, not our whsec_
RAW_LIMIT = 4000


class Youzan:
    """有赞 trade messages."""

    name = "youzan"
    creates_on = ("trade_TradeCreate", "trade_TradePaid")

    @staticmethod
    def verify(channel: Channel, body: bytes, headers) -> dict:
        """Return the pushed JSON if Event-Sign matches md5(client_id + body + client_secret); else raise ValueError."""
        client_id = str(settings_of(channel).get("app_id") or "")
        if not client_id or headers.get("Client-Id", client_id) != client_id:
            raise ValueError("unknown client id")
        expected = hashlib.md5(client_id.encode() + body + keys.unseal(channel.secret).encode()).hexdigest()
        if not hmac.compare_digest(expected, (headers.get("Event-Sign") or "").strip().lower()):
            raise ValueError("bad Event-Sign")
        try:
            return json.loads(body)
        except ValueError:
            raise ValueError("the body is not JSON") from None

    def draft(self, payload: dict) -> services.Draft | None:
        """The order a trade message asks for; None for a message that creates nothing (other events)."""
        if payload.get("type") not in self.creates_on:
            return None
        source = json.dumps(payload, ensure_ascii=False)[:RAW_LIMIT]
        try:
            trade = json.loads(unquote_plus(str(payload.get("msg") or "")))
            info = trade["full_order_info"]
        except (ValueError, KeyError, TypeError):
            return services.Draft(0, {}, [], source=source, problems=["msg: not a trade (full_order_info)"])
        return _draft(info, str(payload.get("id") or ""), source)


def _draft(info: dict, tid: str, source: str) -> services.Draft:
    order = info.get("order_info") or {}
    address = info.get("address_info") or {}
    raw = {"external_id": str(order.get("tid") or tid),
           "customer_name": str(address.get("receiver_name") or "").strip(),
           "customer_phone": str(address.get("receiver_tel") or "").strip(),
           "address": "".join(str(address.get(k) or "") for k in
                              ("delivery_province", "delivery_city", "delivery_district", "delivery_address"))}
    message = str((info.get("remark_info") or {}).get("buyer_message") or "").strip()
    if message:
        raw["notes"] = f"买家留言：{message}"[:500]
    fee = str((info.get("pay_info") or {}).get("post_fee") or "").strip()
    if fee and fee not in ("0", "0.0", "0.00"):
        raw["shipping_fee"] = fee
    lines = info.get("orders") if isinstance(info.get("orders"), list) else []
    items = [{"sku": str(ln.get("outer_sku_id") or ln.get("outer_item_id") or ""), "quantity": ln.get("num")}
             for ln in lines if isinstance(ln, dict)]
    problems = [] if raw["external_id"] else ["order_info.tid: required"]
    problems += [f"orders[{i}]: no outer_sku_id (the shop's SKU code must match the catalogue)"
                 for i, item in enumerate(items) if not item["sku"]]
    return services.Draft(0, raw, items, source=source, problems=problems)


FORMATS = {"youzan": Youzan()}


def format_of(channel: Channel):
    """Return the platform format a push channel's settings name, or None for the generic JSON mapping."""
    return FORMATS.get(settings_of(channel).get("push_format") or "")
