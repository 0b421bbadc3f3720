"""Local fakes of 顺丰's open platform (/std/service) and 菜鸟's link gateway (/gateway/link.do), for tests and the bench.

Both check the signature the vendor checks, issue one waybill per order id (asking again gives 8016
at 顺丰, the same number at 菜鸟), and answer queued error answers first.
"""
import base64
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote_plus

SF_PARTNER, SF_CHECKWORD = "OH_TEST", "sf-checkword-0c9e"
CN_TOKEN, CN_SECRET = "cn-token-51d2", "cn-secret-77aa"


def md5_b64(text: str) -> str:
    return base64.b64encode(hashlib.md5(text.encode()).digest()).decode()


class FakeCarriers:
    """Both vendors on one 127.0.0.1 port; `sf_answers` / `cn_answers` hold canned answers to give first.

    A canned answer is ("http", status) for a bare HTTP error, ("lost", status) to issue the waybill but
    answer an error anyway (a reply lost on the way), or a dict to answer as JSON.
    """

    def __init__(self):
        self.sf_requests: list[dict] = []
        self.cn_requests: list[dict] = []
        self.sf_answers: list = []
        self.cn_answers: list = []
        self.issued: dict[str, str] = {}  # order id → waybill number
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                form = {k: v[0] for k, v in parse_qs(body).items()}
                with fake.lock:
                    status, answer = fake._sf(form) if self.path == "/std/service" else fake._cainiao(form)
                raw = json.dumps(answer, ensure_ascii=False).encode() if isinstance(answer, dict) else answer
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        self.sf_url = f"http://{self.host}/std/service"
        self.cn_url = f"http://{self.host}/gateway/link.do"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _issue(self, order_id: str, prefix: str) -> str:
        if order_id not in self.issued:
            self.issued[order_id] = f"{prefix}{1400000000000 + len(self.issued) * 7919:013d}"
        return self.issued[order_id]

    @staticmethod
    def _sf_answer(code: str, data: dict | None = None, msg: str = "") -> tuple[int, dict]:
        return 200, {"apiResponseID": "000017B3", "apiResultCode": code, "apiErrorMsg": msg,
                     "apiResultData": json.dumps(data, ensure_ascii=False) if data is not None else None}

    def _sf(self, form: dict) -> tuple[int, object]:
        self.sf_requests.append(form)
        data = json.loads(form["msgData"])
        canned = self.sf_answers.pop(0) if self.sf_answers else None
        if isinstance(canned, tuple) and canned[0] == "http":
            return canned[1], b"busy"
        if isinstance(canned, dict):
            return 200, canned
        if form.get("partnerID") != SF_PARTNER:
            return self._sf_answer("A1001", msg="partnerID 不存在")
        if form.get("msgDigest") != md5_b64(quote_plus(form["msgData"] + form["timestamp"] + SF_CHECKWORD)):
            return self._sf_answer("A1006", msg="数字签名无效")
        order_id = data["orderId"]
        if form["serviceCode"] == "EXP_RECE_SEARCH_ORDER_RESP":
            if order_id not in self.issued:
                return self._sf_answer("A1000", {"success": False, "errorCode": "8018", "errorMsg": "未获取到订单信息"})
            return self._sf_answer("A1000", {"success": True, "errorCode": "S0000", "msgData": {
                "orderId": order_id, "waybillNoInfoList": [{"waybillType": 1, "waybillNo": self.issued[order_id]}]}})
        if order_id in self.issued:
            return self._sf_answer("A1000", {"success": False, "errorCode": "8016", "errorMsg": "重复下单"})
        number = self._issue(order_id, "SF")
        if isinstance(canned, tuple) and canned[0] == "lost":
            return canned[1], b"gateway timeout"
        return self._sf_answer("A1000", {"success": True, "errorCode": "S0000", "errorMsg": None, "msgData": {
            "orderId": order_id, "waybillNoInfoList": [{"waybillType": 1, "waybillNo": number}],
            "filterResult": 2, "originCode": "755", "destCode": "571"}})

    def _cainiao(self, form: dict) -> tuple[int, object]:
        self.cn_requests.append(form)
        canned = self.cn_answers.pop(0) if self.cn_answers else None
        if isinstance(canned, tuple) and canned[0] == "http":
            return canned[1], b"busy"
        if isinstance(canned, dict):
            return 200, canned
        if form.get("logistic_provider_id") != CN_TOKEN or form.get("msg_type") != "TMS_WAYBILL_GET":
            return 200, {"success": "false", "errorCode": "S05", "errorMsg": "无效的资源"}
        if form.get("data_digest") != md5_b64(form["logistics_interface"] + CN_SECRET):
            return 200, {"success": "false", "errorCode": "S04", "errorMsg": "签名校验失败"}
        content = json.loads(form["logistics_interface"])
        dto = content["tradeOrderInfoDtos"][0]
        number = self._issue(dto["packageInfo"]["id"], "YT")
        if isinstance(canned, tuple) and canned[0] == "lost":
            return canned[1], b"gateway timeout"
        return 200, {"success": "true", "waybillCloudPrintResponseList": [
            {"objectId": dto["objectId"], "waybillCode": number, "printData": "{\"encryptedData\":\"...\"}"}]}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
