"""顺丰 open platform (丰桥): create an order with a waybill (EXP_RECE_CREATE_ORDER), or look it up.

Request: POST {SF_URL} form `partnerID, requestID, serviceCode, timestamp (ms), msgDigest, msgData`,
msgDigest = base64(md5(urlencode(msgData + timestamp + checkword))) as the platform's SDKs compute it.
Answer: `{"apiResultCode": "A1000", "apiErrorMsg", "apiResponseID", "apiResultData": "<JSON text>"}`;
apiResultData is `{"success", "errorCode", "errorMsg", "msgData": {"waybillNoInfoList": [{"waybillNo"}]}}`.
errorCode 8016 means the order id was already ordered: EXP_RECE_SEARCH_ORDER_RESP returns its waybill.
"""
import json
import time
import uuid
from urllib.parse import quote_plus, urlencode

from webapp.config import setting

from webapp.carriers.waybills.adapters import FORM, Answer, Shipment, compact, md5_base64, transient

CREATE, SEARCH = "EXP_RECE_CREATE_ORDER", "EXP_RECE_SEARCH_ORDER_RESP"
RETRY_CODES = ("A1002", "A1009", "A1099")  # request expired, service unreachable, platform error
ALREADY_ORDERED = "8016"


def digest(msg_data: str, timestamp: str, checkword: str) -> str:
    """Return the msgDigest of a request."""
    return md5_base64(quote_plus(msg_data + timestamp + checkword))


class SFExpress:
    """顺丰速运 through its open platform; ORDERHUB_SF_PARTNER_ID and ORDERHUB_SF_CHECKWORD configure it."""

    kind = "sf"
    carrier = "顺丰"

    def configured(self) -> bool:
        return bool(setting("SF_PARTNER_ID") and setting("SF_CHECKWORD"))

    def _form(self, service: str, data: dict) -> tuple[str, bytes, dict]:
        msg_data, timestamp = compact(data), str(int(time.time() * 1000))
        form = {"partnerID": setting("SF_PARTNER_ID"), "requestID": uuid.uuid4().hex, "serviceCode": service,
                "timestamp": timestamp, "msgData": msg_data,
                "msgDigest": digest(msg_data, timestamp, str(setting("SF_CHECKWORD")))}
        url = str(setting("SF_URL", "https://sfapi.sf-express.com/std/service"))
        return url, urlencode(form).encode(), FORM

    def request(self, shipment: Shipment) -> tuple[str, bytes, dict]:
        """Return the URL, body and headers of an order creation asking for a waybill."""
        contacts = [{"contactType": 1, "contact": shipment.sender.name, "tel": shipment.sender.phone,
                     "country": "CN", "address": shipment.sender.address},
                    {"contactType": 2, "contact": shipment.recipient.name, "mobile": shipment.recipient.phone,
                     "country": "CN", "address": shipment.recipient.address}]
        data = {"language": "zh-CN", "orderId": shipment.order_no, "contactInfoList": contacts,
                "cargoDetails": [{"name": name[:60], "count": qty} for name, qty in shipment.items] or
                [{"name": "商品", "count": 1}],
                "expressTypeId": int(setting("SF_EXPRESS_TYPE", 1)), "payMethod": 1, "isReturnRoutelabel": 1}
        if setting("SF_MONTHLY_CARD"):
            data["monthlyCard"] = str(setting("SF_MONTHLY_CARD"))
        return self._form(CREATE, data)

    def lookup(self, shipment: Shipment) -> tuple[str, bytes, dict]:
        """Return the request that finds the waybill of an order id ordered before."""
        return self._form(SEARCH, {"orderId": shipment.order_no, "searchType": "1", "language": "zh-CN"})

    def read(self, status: int | None, text: str) -> Answer:
        """Read the platform's answer to a creation or a lookup."""
        if status != 200:
            return Answer(False, code=f"HTTP {status or '-'}", message=text[:200], retry=transient(status))
        try:
            outer = json.loads(text)
            code = str(outer.get("apiResultCode", ""))
            if code != "A1000":
                return Answer(False, code=code, message=str(outer.get("apiErrorMsg") or ""), retry=code in RETRY_CODES)
            inner = json.loads(outer.get("apiResultData") or "{}")
        except (ValueError, AttributeError):
            return Answer(False, code="bad answer", message=text[:200], retry=True)
        if not inner.get("success"):
            code = str(inner.get("errorCode", ""))
            return Answer(False, code=code, message=str(inner.get("errorMsg") or ""), lookup=code == ALREADY_ORDERED)
        numbers = [w.get("waybillNo") for w in (inner.get("msgData") or {}).get("waybillNoInfoList") or []
                   if w.get("waybillNo") and w.get("waybillType", 1) == 1]
        if not numbers:
            return Answer(False, code="no waybill", message=text[:200], retry=True)
        return Answer(True, number=str(numbers[0]), code="S0000")
