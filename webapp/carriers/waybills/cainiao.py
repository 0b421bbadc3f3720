"""菜鸟 e-waybill (Cainiao link gateway): TMS_WAYBILL_GET takes a waybill number from a carrier's stock.

Request: POST {CAINIAO_URL} form `msg_type=TMS_WAYBILL_GET, logistic_provider_id (the resource token),
logistics_interface (JSON), data_digest = base64(md5(logistics_interface + secret))`.
Answer: `{"success": "true", "waybillCloudPrintResponseList": [{"objectId", "waybillCode", "printData"}]}`
or `{"success": "false", "errorCode", "errorMsg"}`. The same trade order and package id return the
same waybill, so a repeated request is safe.
"""
import json
from urllib.parse import urlencode

from webapp.config import setting

from webapp.carriers.waybills.adapters import FORM, Answer, Shipment, compact, md5_base64, transient

CARRIERS = {"SF": "顺丰", "ZTO": "中通", "YTO": "圆通", "STO": "申通", "YUNDA": "韵达", "EMS": "EMS",
            "JD": "京东", "JTSD": "极兔", "DBKD": "德邦", "POSTB": "邮政"}
RETRY_CODES = ("S01", "S02", "isp.service-unavailable", "isv.call-limited")  # system busy, rate limit


def digest(content: str, secret: str) -> str:
    """Return the data_digest of a request."""
    return md5_base64(content + secret)


def _party(party) -> dict:
    return {"name": party.name, "mobile": party.phone, "address": {"detail": party.address}}


class Cainiao:
    """A carrier's e-waybill stock through 菜鸟; ORDERHUB_CAINIAO_TOKEN, _SECRET and _CP_CODE configure it."""

    kind = "cainiao"

    @property
    def carrier(self) -> str:
        code = str(setting("CAINIAO_CP_CODE", "")).upper()
        return CARRIERS.get(code, code)

    def configured(self) -> bool:
        return bool(setting("CAINIAO_TOKEN") and setting("CAINIAO_SECRET") and setting("CAINIAO_CP_CODE"))

    def request(self, shipment: Shipment) -> tuple[str, bytes, dict]:
        """Return the URL, body and headers of a TMS_WAYBILL_GET for one parcel."""
        content = compact({
            "cpCode": str(setting("CAINIAO_CP_CODE")).upper(), "sender": _party(shipment.sender),
            "tradeOrderInfoDtos": [{
                "objectId": "1",
                "orderInfo": {"orderChannelsType": "OTHERS", "tradeOrderList": [shipment.order_no]},
                "packageInfo": {"id": shipment.order_no,
                                "items": [{"name": n[:60], "count": q} for n, q in shipment.items] or
                                [{"name": "商品", "count": 1}]},
                "recipient": _party(shipment.recipient),
                "templateUrl": str(setting("CAINIAO_TEMPLATE_URL", "")), "userId": 0}]})
        form = {"msg_type": "TMS_WAYBILL_GET", "logistic_provider_id": setting("CAINIAO_TOKEN"),
                "logistics_interface": content, "data_digest": digest(content, str(setting("CAINIAO_SECRET")))}
        url = str(setting("CAINIAO_URL", "https://link.cainiao.com/gateway/link.do"))
        return url, urlencode(form).encode(), FORM

    def lookup(self, shipment: Shipment) -> tuple[str, bytes, dict]:
        """Return the request again: the gateway answers a known package with its waybill."""
        return self.request(shipment)

    def read(self, status: int | None, text: str) -> Answer:
        """Read the gateway's answer."""
        if status != 200:
            return Answer(False, code=f"HTTP {status or '-'}", message=text[:200], retry=transient(status))
        try:
            data = json.loads(text)
        except ValueError:
            return Answer(False, code="bad answer", message=text[:200], retry=True)
        if str(data.get("success")).lower() != "true":
            code = str(data.get("errorCode", ""))
            return Answer(False, code=code, message=str(data.get("errorMsg") or ""), retry=code in RETRY_CODES)
        numbers = [r.get("waybillCode") for r in data.get("waybillCloudPrintResponseList") or [] if r.get("waybillCode")]
        if not numbers:
            return Answer(False, code="no waybill", message=text[:200], retry=True)
        return Answer(True, number=str(numbers[0]), code="ok")
