"""微信小店 (WeChat Channels shop) adapter: pull orders (channels/ec/order/list/get, …/order/get), write shipping back.

Documented shapes (developers.weixin.qq.com): every call is a POST with `?access_token=` taken from
/cgi-bin/stable_token; answers carry `errcode`/`errmsg` (0 = ok). errcode 40001/42001/40014 mean the
token is invalid or expired (fetch a new one and call again once); -1 means the system is busy (call
again once, then leave it to the next run's backoff). Listing takes an update-time window of at most
7 days, `page_size` ≤ 100 and the `next_key` of the previous page; it answers `order_id_list`,
`next_key` and `has_more`. Money is in fen. The write-back is the mini-program shipping-info upload
(/wxa/sec/order/upload_shipping_info), keyed by the WeChat Pay transaction id with the buyer's openid,
which a 小程序 shop must make before WeChat releases the funds.
"""
import json
import threading
import time
from datetime import datetime, timezone
from decimal import Decimal

import urllib3

from webapp.config import setting
from webapp.core import outbound
from webapp.intake.pull.adapters import Adapter, Page, PlatformError, Pulled, register_adapter

TOKEN_INVALID = {40001, 42001, 40014}
BUSY = -1
UNPAID, CANCELLED = {10}, {200, 250}
EXPRESS = {"顺丰": "SF", "中通": "ZTO", "圆通": "YTO", "韵达": "YD", "申通": "STO", "京东": "JD", "EMS": "EMS",
           "极兔": "JTSD", "德邦": "DBL", "邮政": "YZPY"}  # our carrier names → WeChat delivery ids
_tokens: dict = {}
_lock = threading.Lock()


@register_adapter
class WechatShop(Adapter):
    """微信小店 orders in, shipping info back (mini-program shipping-info upload)."""

    kind = "wechat_shop"
    label = "微信小店"
    default_url = "https://api.weixin.qq.com"
    writes_back = True

    def list_updated(self, since: int, until: int, page_key: str = "") -> Page:
        """Return one page of order ids updated in [since, until] (a window of at most 7 days)."""
        body = {"update_time_range": {"start_time": int(since), "end_time": int(until)},
                "page_size": int(self.settings.get("page_size") or 100)}
        if page_key:
            body["next_key"] = page_key
        data = self.call("/channels/ec/order/list/get", body)
        ids = [str(i) for i in data.get("order_id_list") or []]
        return Page(ids, str(data.get("next_key") or "") if data.get("has_more") else "")

    def fetch(self, external_id: str) -> Pulled:
        """Return one order mapped to ours."""
        try:
            data = self.call("/channels/ec/order/get", {"order_id": external_id})
        except PlatformError as exc:
            exc.per_order = exc.code.isdigit() and int(exc.code) >= 10_000_000  # the shop API's own codes: this order
            raise
        return to_pulled(external_id, data.get("order"))

    def upload_shipping(self, ref: dict, carrier: str, tracking_no: str, *, item_desc: str, phone: str) -> str:
        """Upload the parcel's carrier and number for the order's WeChat Pay transaction (统一发货, 快递)."""
        if not ref.get("transaction_id") or not ref.get("openid"):
            raise PlatformError("the order has no WeChat Pay transaction id or buyer openid", "no_payment")
        company = EXPRESS.get(carrier.strip(), carrier.strip())
        item = {"tracking_no": tracking_no, "express_company": company, "item_desc": (item_desc or "商品")[:120]}
        if phone:
            item["contact"] = {"receiver_contact": mask(phone)}  # 顺丰 needs it; the last 4 digits stay clear
        body = {"order_key": {"order_number_type": 2, "transaction_id": ref["transaction_id"]},
                "logistics_type": 1, "delivery_mode": 1, "shipping_list": [item],
                "upload_time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "payer": {"openid": ref["openid"]}}
        data = self.call("/wxa/sec/order/upload_shipping_info", body)
        return str(data.get("errmsg") or "ok")

    def call(self, path: str, body: dict) -> dict:
        """POST to the platform with a valid token: renew it once when expired, call once more when busy."""
        renewed = busy = False
        while True:
            token = self.token()
            data = self._post(f"{path}?access_token={token}", body)
            code = _errcode(data)
            if code in TOKEN_INVALID and not renewed:
                self.forget_token(token)
                renewed = True
                continue
            if code == BUSY and not busy:
                busy = True
                continue
            if code:
                raise PlatformError(f"errcode {code}: {data.get('errmsg', '')}", code, transient=code == BUSY)
            return data

    def token(self) -> str:
        """Return a cached access token, fetching a new one (stable_token) when none is left."""
        key = (self.base_url, self.app_id)
        with _lock:  # one fetch at a time: threads fetching orders wait for it instead of each asking
            found = _tokens.get(key)
            if found and found[1] > time.monotonic():
                return found[0]
            data = self._post("/cgi-bin/stable_token", {"grant_type": "client_credential", "appid": self.app_id,
                                                        "secret": self.secret, "force_refresh": False})
            if _errcode(data) or not data.get("access_token"):
                raise PlatformError(f"token refused: errcode {_errcode(data)}: {data.get('errmsg', '')}",
                                    _errcode(data), transient=_errcode(data) == BUSY)
            life = max(int(data.get("expires_in") or 7200) - 300, 60)  # renew 5 minutes early
            _tokens[key] = (data["access_token"], time.monotonic() + life)
            return data["access_token"]

    def forget_token(self, token: str) -> None:
        """Drop the cached token if it is the one the platform refused (another thread may have renewed it)."""
        with _lock:
            if _tokens.get((self.base_url, self.app_id), ("",))[0] == token:
                _tokens.pop((self.base_url, self.app_id))

    def _post(self, path: str, body: dict) -> dict:
        payload = json.dumps(body, ensure_ascii=False).encode()
        timeout = float(setting("PULL_TIMEOUT", 15))
        try:
            answer = outbound.send(self.base_url + path, payload, {"Content-Type": "application/json"},
                                   timeout=timeout, keep=8_000_000)
        except outbound.Refused as exc:
            raise PlatformError(str(exc), "refused") from None
        except urllib3.exceptions.HTTPError as exc:
            raise PlatformError(f"{type(exc).__name__}: {exc}", "network", transient=True) from None
        if answer.status_code >= 500 or answer.status_code == 429:
            raise PlatformError(f"HTTP {answer.status_code}", str(answer.status_code), transient=True)
        if answer.status_code != 200:
            raise PlatformError(f"HTTP {answer.status_code}: {answer.text[:200]}", str(answer.status_code))
        try:
            data = json.loads(answer.text)
        except ValueError:
            raise PlatformError("the answer is not JSON", "bad_json", transient=True) from None
        if not isinstance(data, dict):
            raise PlatformError("the answer is not a JSON object", "bad_json", transient=True)
        return data


def _errcode(data: dict) -> int:
    try:
        return int(data.get("errcode") or 0)
    except (TypeError, ValueError):
        return -999


def mask(phone: str) -> str:
    """Mask a phone number as WeChat asks (138****8000)."""
    digits = "".join(c for c in phone if c.isdigit())
    digits = digits[2:] if len(digits) == 13 and digits.startswith("86") else digits  # stored as +86…
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else digits


def to_pulled(external_id: str, order) -> Pulled:
    """Map a channels/ec order to our fields; what is missing becomes a problem on the order, not an exception."""
    raw = json.dumps(order, ensure_ascii=False)[:4000]
    if not isinstance(order, dict) or not isinstance(order.get("order_detail"), dict):
        return Pulled(external_id, 0, {}, [], problems=["the platform's order has no order_detail"], raw=raw)
    detail = order["order_detail"]
    address = (detail.get("delivery_info") or {}).get("address_info") or {}
    fields = {"external_id": str(order.get("order_id") or external_id),
              "customer_name": str(address.get("user_name") or "").strip(),
              "customer_phone": str(address.get("tel_number") or "").strip(),
              "address": "".join(str(address.get(k) or "") for k in
                                 ("province_name", "city_name", "county_name", "detail_info")).strip()}
    notes = str((detail.get("ext_info") or {}).get("customer_notes") or "").strip()
    if notes:
        fields["notes"] = f"买家留言：{notes}"[:500]
    freight = (detail.get("price_info") or {}).get("freight") or 0
    if isinstance(freight, int) and freight > 0:
        fields["shipping_fee"] = str(Decimal(freight) / 100)
    items, problems = _items(detail.get("product_infos"))
    problems += [f"{name}: missing" for name in ("customer_name", "customer_phone", "address") if not fields[name]]
    status = order.get("status")
    state = "unpaid" if status in UNPAID else "cancelled" if status in CANCELLED else "open"
    pay = detail.get("pay_info") or {}
    ref = {"transaction_id": str(pay.get("transaction_id") or ""), "openid": str(order.get("openid") or ""),
           "item_desc": "，".join(f"{p.get('title', '')}*{p.get('sku_cnt', '')}"
                                 for p in detail.get("product_infos") or [] if isinstance(p, dict))[:120]}
    try:
        updated = int(order.get("update_time") or 0)
    except (TypeError, ValueError):
        updated, problems = 0, problems + ["update_time: not a number"]
    return Pulled(fields["external_id"], updated, fields, items, state, ref, problems, raw)


def _items(products) -> tuple[list, list]:
    if not isinstance(products, list) or not products:
        return [], ["product_infos: no lines"]
    items, problems = [], []
    for i, product in enumerate(products):
        sku = str((product or {}).get("sku_code") or "").strip() if isinstance(product, dict) else ""
        if not sku:
            problems.append(f"product_infos[{i}]: no sku_code (the shop's SKU code must match the catalogue)")
            continue
        items.append({"sku": sku, "quantity": product.get("sku_cnt")})
    return items, problems
