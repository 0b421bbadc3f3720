"""SMS to customers through a gateway: the default records messages; the HTTP backend posts them.

Configure the HTTP backend without code (environment): ORDERHUB_SMS_BACKEND=http,
ORDERHUB_SMS_HTTP_URL, ORDERHUB_SMS_HTTP_AUTH (the whole Authorization header value) and
ORDERHUB_SMS_HTTP_BODY, a JSON template whose $phone, $text and $id are replaced by JSON strings;
ORDERHUB_SMS_TEXT is the message ({order_no}, {link}, {carrier}, {tracking_no}). The message key goes along as Idempotency-Key so a provider can drop a
resend after a crash. The gateway is called under the outbound rule (webapp.core.outbound): a private or
local address must be listed in ORDERHUB_OUTBOUND_ALLOW.
"""
import json
import re
from string import Template

import urllib3
from sqlalchemy import select

from webapp.core import outbound
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import outbox
from webapp.notify.models import OutboxMessage, SmsRecord
from webapp.config import setting
from webapp.vocab import CARRIERS

DEFAULT_TEXT = "【订单中枢】您的订单 {order_no} 已交给快递{carrier_part}，查看进度：{link}"
TRACKING_NO = re.compile(r"[A-Z0-9][A-Z0-9-]{5,39}")
DEFAULT_BODY = '{"to": $phone, "text": $text, "id": $id}'


def outbound_text(order, link: str) -> str:
    """Compose the outbound SMS from the SMS_TEXT template ({order_no}, {link}, {carrier}, {tracking_no}).

    Only the server's own words reach the customer: the carrier must be one of the known courier
    names (vocab.CARRIERS) and the tracking number letters, digits and dashes; anything else typed
    into those fields is left out of the message.
    """
    template = setting("SMS_TEXT", DEFAULT_TEXT)
    carrier, tracking_no = known_carrier(order.carrier), safe_tracking_no(order.tracking_no)
    both = " ".join(p for p in (carrier, tracking_no) if p)
    return template.format(order_no=order.order_no, link=link, carrier=carrier, tracking_no=tracking_no,
                           carrier_part=f"（{both}）" if both else "")


def known_carrier(text: str | None) -> str:
    """Return the courier's name when it is one of the known ones, else ''."""
    name = (text or "").strip()
    return next((known for known in CARRIERS if known.casefold() == name.casefold()), "")


def safe_tracking_no(text: str | None) -> str:
    """Return the tracking number when it is 6–40 letters, digits and dashes, else ''."""
    value = (text or "").strip().upper()
    return value if TRACKING_NO.fullmatch(value) else ""


class RecordingGateway:
    """Keep the message only (the admin page lists it); the default until a provider is set up."""

    name = "record"

    def send(self, message: OutboxMessage, phone: str, text: str) -> tuple[str, str]:
        return "sent", f"recorded-{message.id}"


class HttpGateway:
    """Post the message to a provider's HTTP API (URL, auth header and body template from config)."""

    name = "http"

    def __init__(self, url: str, auth: str | None, body: str, timeout: float = 10):
        self.url, self.auth, self.body, self.timeout = url, auth, body, timeout

    def send(self, message: OutboxMessage, phone: str, text: str) -> tuple[str, str]:
        body = Template(self.body).safe_substitute(phone=json.dumps(phone), text=json.dumps(text, ensure_ascii=False),
                                                   id=json.dumps(message.key))
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": message.key}
        if self.auth:
            headers["Authorization"] = self.auth
        try:  # the outbound rule: resolved, checked, pinned (the URL comes from settings, but still)
            resp = outbound.send(self.url, body.encode(), headers, timeout=self.timeout)
        except outbound.Refused as exc:
            return "refused", f"{exc} ({self.url.split('?')[0]})"
        except urllib3.exceptions.HTTPError as exc:
            return "retry", f"{type(exc).__name__}: {exc}"
        if 200 <= resp.status_code < 300:
            return "sent", resp.text[:128]
        return ("retry" if resp.status_code == 429 or resp.status_code >= 500 else "refused",
                f"HTTP {resp.status_code}: {resp.text[:200]}")


def gateway():
    """Return the configured gateway."""
    if setting("SMS_BACKEND") == "http" and setting("SMS_HTTP_URL"):
        return HttpGateway(setting("SMS_HTTP_URL"), setting("SMS_HTTP_AUTH"), setting("SMS_HTTP_BODY", DEFAULT_BODY))
    return RecordingGateway()


def deliver(message: OutboxMessage, worker: str) -> tuple[str, str]:
    """Hand an SMS to the gateway once; a message already recorded as sent is not sent again."""
    if db.session.scalar(select(SmsRecord.id).where(SmsRecord.message_id == message.id)):
        return "sent", ""
    text = json.loads(message.payload)["text"]
    gw = gateway()
    outcome, ref = gw.send(message, message.phone, text)
    if outcome == "sent":
        db.session.add(SmsRecord(message_id=message.id, backend=gw.name, phone=message.phone, body=text,
                                 provider_ref=ref[:128], order_id=message.order_id, at=utcnow()))
    outbox.record_attempt(message.id, worker, "ok" if outcome == "sent" else outcome, detail=ref)
    if outcome == "sent":
        return "sent", ""
    return ("pending", ref) if outcome == "retry" else ("failed", ref)
