"""One adapter per group-robot vendor, behind one interface, in a registry keyed by KIND.

Each builds the vendor's documented request (markdown message, signature where the vendor signs)
and reads its JSON answer: WeCom and DingTalk answer `errcode`, Feishu `code`; 0 is success.
"""
import base64
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass
from urllib.parse import quote_plus


@dataclass(frozen=True)
class Outcome:
    """How a vendor answered: ok, its error code (as text), and whether it was a rate-limit answer."""

    ok: bool
    errcode: str
    rate_limited: bool


class RobotAdapter:
    """Build a request for a markdown message and read the answer; subclasses name the vendor's shapes."""

    kind = ""
    label = ""
    code_key = "errcode"
    rate_codes: tuple = ()

    def request(self, url: str, secret: str | None, title: str, text: str, now: float | None = None
                ) -> tuple[str, dict]:
        """Return the URL to POST to and the JSON body for one message."""
        raise NotImplementedError

    def outcome(self, status: int | None, answer: str) -> Outcome:
        """Read an HTTP status and the start of the answer into an Outcome."""
        if status is None:
            return Outcome(False, "", False)
        code = _code(answer, self.code_key)
        ok = 200 <= status < 300 and code == "0"
        return Outcome(ok, code if code is not None else "", status == 429 or code in self.rate_codes)


def _code(answer: str, key: str) -> str | None:
    try:
        value = json.loads(answer).get(key)
        return None if value is None else str(value)
    except (ValueError, AttributeError):  # only the answer's start is kept: fall back to a search
        found = re.search(rf'"{key}"\s*:\s*(-?\d+)', answer or "")
        return found.group(1) if found else None


def hmac_b64(key: str, message: str) -> str:
    """Return base64(HMAC-SHA256(key, message))."""
    return base64.b64encode(hmac.new(key.encode(), message.encode(), hashlib.sha256).digest()).decode()


class WeCom(RobotAdapter):
    """企业微信 group robot: the key is in the URL; `msgtype: markdown`; 45009 = too frequent."""

    kind, label, rate_codes = "wecom", "企业微信 WeCom", ("45009",)

    def request(self, url, secret, title, text, now=None):
        return url, {"msgtype": "markdown", "markdown": {"content": text}}


class DingTalk(RobotAdapter):
    """钉钉 custom robot: signed with HMAC-SHA256 of `timestamp\\nsecret` in the query; 130101 = too fast."""

    kind, label, rate_codes = "dingtalk", "钉钉 DingTalk", ("130101",)

    def request(self, url, secret, title, text, now=None):
        if secret:
            stamp = str(int((now or time.time()) * 1000))
            sign = quote_plus(hmac_b64(secret, f"{stamp}\n{secret}"))
            url = f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"
        return url, {"msgtype": "markdown", "markdown": {"title": title, "text": text}}


class Feishu(RobotAdapter):
    """飞书 custom bot: the signature (key `timestamp\\nsecret`, empty message) in the body; 9499 = too many."""

    kind, label, code_key, rate_codes = "feishu", "飞书 Feishu", "code", ("9499", "11232")

    def request(self, url, secret, title, text, now=None):
        body = {"msg_type": "interactive",
                "card": {"header": {"title": {"tag": "plain_text", "content": title}},
                         "elements": [{"tag": "markdown", "content": text}]}}
        if secret:
            stamp = str(int(now or time.time()))
            body = {"timestamp": stamp, "sign": hmac_b64(f"{stamp}\n{secret}", "")} | body
        return url, body


ADAPTERS: dict[str, RobotAdapter] = {a.kind: a for a in (WeCom(), DingTalk(), Feishu())}
KINDS = tuple(ADAPTERS)


def adapter(kind: str) -> RobotAdapter:
    """Return the adapter for a robot kind (KeyError for an unknown one)."""
    return ADAPTERS[kind]
