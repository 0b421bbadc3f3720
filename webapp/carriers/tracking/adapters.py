"""Tracking aggregators behind one interface, in a registry; 快递100 (Kuaidi100) speaks its documented shapes.

Subscribe: POST {base}/poll, form `schema=json&param={company, number, key, parameters{callbackurl,
salt, resultv2, phone}}` → `{"result", "returnCode", "message"}` (200 accepted, 501 already subscribed).
Callback: form `param` (JSON with `lastResult{state, com, nu, data[{time, context, status, areaName}]}`)
and `sign` = upper-case MD5(param + salt). Query (poll): POST {base}/poll/query.do, form `customer`,
`param{com, num, phone, resultv2}`, `sign` = upper-case MD5(param + key + customer) → the lastResult shape.
"""
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from flask import current_app

from webapp.config import setting

CN = timezone(timedelta(hours=8))  # the aggregator's times are Beijing time without an offset
STATES = {"0": "在途", "1": "揽收", "2": "疑难", "3": "签收", "4": "退签", "5": "派件", "6": "退回", "7": "转投",
          "8": "清关", "14": "拒签"}
DELIVERED = "3"
PROBLEMS = ("2", "4", "6", "14")
COMPANIES = {"顺丰": "shunfeng", "中通": "zhongtong", "圆通": "yuantong", "申通": "shentong", "韵达": "yunda",
             "EMS": "ems", "邮政": "youzhengguonei", "京东": "jd", "极兔": "jtexpress", "德邦": "debangwuliu"}
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "User-Agent": "OrderHub-Tracking/1"}


@dataclass(frozen=True)
class Scan:
    """One courier event: when (UTC), what, the aggregator's status word and the place."""

    at: datetime
    context: str
    status: str = ""
    place: str = ""


@dataclass
class Update:
    """What a callback or poll says about one parcel."""

    company: str
    number: str
    state: str
    scans: list = field(default_factory=list)


def md5_upper(text: str) -> str:
    """Return the upper-case hex MD5 of text (UTF-8)."""
    return hashlib.md5(text.encode()).hexdigest().upper()


def parse_time(text: str) -> datetime:
    """Read '2026-12-01 10:00:00' (Beijing time) as UTC."""
    return datetime.strptime(text.strip()[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=CN).astimezone(timezone.utc)


def read_result(result: dict) -> Update:
    """Turn a lastResult object into an Update; malformed scans raise ValueError."""
    scans = [Scan(parse_time(d.get("ftime") or d["time"]), str(d.get("context", ""))[:2000],
                  str(d.get("status", ""))[:16], str(d.get("areaName") or "")[:64]) for d in result.get("data") or []]
    return Update(str(result.get("com", "")), str(result.get("nu", "")), str(result.get("state", "")), scans)


class Kuaidi100:
    """快递100: subscription with callback, signed callbacks, real-time query for polling."""

    kind = "kuaidi100"

    def configured(self) -> bool:
        return bool(setting("KUAIDI100_KEY"))

    def base(self) -> str:
        return str(setting("KUAIDI100_URL", "https://poll.kuaidi100.com")).rstrip("/")

    def salt(self) -> str:
        """Return the callback salt: KUAIDI100_SALT, else one derived from SECRET_KEY."""
        configured = setting("KUAIDI100_SALT")
        if configured:
            return str(configured)
        key = current_app.config["SECRET_KEY"].encode()
        return hmac.new(key, b"orderhub kuaidi100 salt", hashlib.sha256).hexdigest()[:32]

    def subscribe(self, company: str, number: str, callback_url: str, phone: str = "") -> tuple[str, bytes]:
        """Return the URL and form body of a subscription."""
        parameters = {"callbackurl": callback_url, "salt": self.salt(), "resultv2": "1"} | (
            {"phone": phone} if phone else {})
        param = {"company": company, "number": number, "key": setting("KUAIDI100_KEY"), "parameters": parameters}
        return f"{self.base()}/poll", urlencode({"schema": "json", "param": _json(param)}).encode()

    def subscribed(self, status: int | None, answer: str) -> tuple[bool, bool, str]:
        """Read a subscription answer: (accepted, worth retrying, code)."""
        try:
            data = json.loads(answer)
            code = str(data.get("returnCode", ""))
        except (ValueError, AttributeError):
            return False, True, ""
        if status == 200 and code in ("200", "501"):  # 501: this number is already subscribed
            return True, False, code
        return False, status in (None, 429) or code in ("500", "503", ""), code

    def query(self, company: str, number: str, phone: str = "") -> tuple[str, bytes]:
        """Return the URL and form body of a real-time query."""
        param = _json({"com": company, "num": number, "resultv2": "1"} | ({"phone": phone} if phone else {}))
        customer = str(setting("KUAIDI100_CUSTOMER", ""))
        sign = md5_upper(param + str(setting("KUAIDI100_KEY", "")) + customer)
        return f"{self.base()}/poll/query.do", urlencode({"customer": customer, "sign": sign, "param": param}).encode()

    def verify(self, param: str, sign: str) -> dict | None:
        """Return the callback's param as a dict when its signature matches, else None."""
        if not param or not hmac.compare_digest(md5_upper(param + self.salt()), (sign or "").upper()):
            return None
        try:
            return json.loads(param)
        except ValueError:
            return None

    @staticmethod
    def answer(ok: bool, message: str) -> dict:
        """Return the JSON the aggregator expects back from a callback."""
        return {"result": ok, "returnCode": "200" if ok else "500", "message": message}


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


ADAPTERS = {"kuaidi100": Kuaidi100()}


def adapter(kind: str = "kuaidi100") -> Kuaidi100:
    """Return the tracking adapter (one aggregator today)."""
    return ADAPTERS[kind]


def company_of(carrier: str) -> str:
    """Return the aggregator's company code for the carrier typed on the order ('' when unknown)."""
    text = (carrier or "").strip()
    if text.lower() in COMPANIES.values():
        return text.lower()
    return next((code for name, code in COMPANIES.items() if name.lower() in text.lower()), "")
