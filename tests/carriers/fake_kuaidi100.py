"""A local fake of 快递100 (subscribe at /poll, query at /poll/query.do) and signed callbacks, for tests and the bench."""
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

KEY = "kd100-key-7f3a"
CUSTOMER = "CUST0001"
SALT = "salt-b19c"


def md5_upper(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest().upper()


def last_result(number: str, state: str, scans, company: str = "shunfeng") -> dict:
    """Return a lastResult object; scans are (time 'YYYY-MM-DD HH:MM:SS', context[, status, area])."""
    data = [{"time": s[0], "ftime": s[0], "context": s[1], "status": s[2] if len(s) > 2 else "在途",
             "areaName": s[3] if len(s) > 3 else ""} for s in scans]
    return {"message": "ok", "state": state, "status": "200", "condition": "F00", "ischeck": "1" if state == "3" else "0",
            "com": company, "nu": number, "data": list(reversed(data))}  # the aggregator lists newest first


def callback_form(result: dict, salt: str = SALT) -> dict:
    """Return the form a callback posts: param (JSON) and sign = MD5(param + salt) upper-case."""
    param = json.dumps({"status": "polling", "billstatus": "got", "message": "", "lastResult": result},
                       ensure_ascii=False)
    return {"param": param, "sign": md5_upper(param + salt)}


class FakeKuaidi100:
    """Record subscriptions and queries; answer queued return codes first, then success."""

    def __init__(self):
        self.subscriptions: list[dict] = []
        self.queries: list[dict] = []
        self.answers: list[str] = []
        self.results: dict[str, dict] = {}  # number → lastResult the query answers
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
                with fake.lock:
                    answer = fake._subscribe(form) if self.path == "/poll" else fake._query(form)
                raw = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _subscribe(self, form: dict) -> dict:
        param = json.loads(form["param"])
        self.subscriptions.append(param)
        code = self.answers.pop(0) if self.answers else ("200" if param.get("key") == KEY else "600")
        messages = {"200": "提交成功", "501": "重复订阅", "600": "您不是合法的订阅者", "500": "服务器错误",
                    "700": "订阅方的订阅数据存在错误"}
        return {"result": code == "200", "returnCode": code, "message": messages.get(code, "error")}

    def _query(self, form: dict) -> dict:
        self.queries.append(form)
        if form.get("sign") != md5_upper(form["param"] + KEY + CUSTOMER):
            return {"result": False, "returnCode": "503", "message": "验证签名失败"}
        number = json.loads(form["param"])["num"]
        return self.results.get(number) or {"result": False, "returnCode": "500", "message": "查询无结果，请隔断时间再查"}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
