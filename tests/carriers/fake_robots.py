"""A local fake of the three group-robot APIs on 127.0.0.1, for tests and the bench.

Paths as the vendors publish them: WeCom `/cgi-bin/webhook/send?key=…`, DingTalk
`/robot/send?access_token=…&timestamp=…&sign=…`, Feishu `/open-apis/bot/v2/hook/<token>`. It checks
keys and signatures the way each vendor documents, answers their JSON (`errcode`/`errmsg` or
`code`/`msg`) including the error codes, and can be told to answer the rate-limit code next.
"""
import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

KEY = "k-693a91f6"
TOKEN = "t-8d2c"
SECRET = "SECfe5c0e1a9b"
RATE_CODES = {"wecom": (45009, "api freq out of limit"), "dingtalk": (130101, "send too fast"),
              "feishu": (9499, "too many request")}


def _sign(key: str, message: str) -> str:
    return base64.b64encode(hmac.new(key.encode(), message.encode(), hashlib.sha256).digest()).decode()


def check(kind: str, query: dict, body: dict, path: str, secret: str | None) -> tuple[int, str]:
    """Return the vendor's (code, message) for one request: 0 when its key, signature and shape are right."""
    if kind == "wecom":
        if query.get("key") != KEY:
            return 93000, "invalid webhook url"
        content = body.get("markdown", {}).get("content") or ""
        if len(content.encode()) > 4096:
            return 40058, "markdown.content exceed max length 4096"
        return (0, "ok") if body.get("msgtype") == "markdown" and content else (40008, "invalid message type")
    if kind == "dingtalk":
        if query.get("access_token") != TOKEN:
            return 300001, "token is not exist"
        if secret and query.get("sign") != _sign(secret, f"{query.get('timestamp')}\n{secret}"):
            return 310000, "sign not match"
        return (0, "ok") if body.get("msgtype") == "markdown" and body["markdown"].get("text") else (40035, "缺少参数 json")
    if not path.endswith("/" + TOKEN):
        return 19001, "param invalid: incoming webhook access token invalid"
    if secret and body.get("sign") != _sign(f"{body.get('timestamp')}\n{secret}", ""):
        return 19021, "sign match fail or timestamp is not within one hour from current time"
    return (0, "success") if body.get("msg_type") else (19002, "params error, msg_type need")


class FakeRobots:
    """Serve the three robot APIs; record every request; answer queued codes first ("rate" or an int)."""

    def __init__(self, secret: str | None = SECRET):
        self.secret = secret
        self.received: list[dict] = []
        self.answers: list = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = urlsplit(self.path)
                kind = parts.path.strip("/").split("/")[0]
                kind = {"cgi-bin": "wecom", "robot": "dingtalk", "open-apis": "feishu"}.get(kind, "?")
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                body = json.loads(raw)
                with fake.lock:
                    forced = fake.answers.pop(0) if fake.answers else None
                    code, msg = RATE_CODES[kind] if forced == "rate" else (
                        (forced, "forced") if forced is not None else check(kind, query, body, parts.path, fake.secret))
                    fake.received.append({"kind": kind, "query": query, "body": body, "code": code,
                                          "at": time.perf_counter()})
                    fake.arrived.notify_all()
                keys = ("code", "msg") if kind == "feishu" else ("errcode", "errmsg")
                answer = json.dumps(dict(zip(keys, (code, msg))) | ({"data": {}} if kind == "feishu" else {})).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        base = f"http://127.0.0.1:{self.port}"
        self.urls = {"wecom": f"{base}/cgi-bin/webhook/send?key={KEY}",
                     "dingtalk": f"{base}/robot/send?access_token={TOKEN}",
                     "feishu": f"{base}/open-apis/bot/v2/hook/{TOKEN}"}
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def allow(self) -> str:
        """Return the ORDERHUB_OUTBOUND_ALLOW entry for this fake."""
        return f"127.0.0.1:{self.port}"

    def accepted(self) -> list[dict]:
        """Return the requests answered with code 0, in arrival order."""
        with self.lock:
            return [r for r in self.received if r["code"] == 0]

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """Wait until `count` requests have arrived."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.received) >= count, timeout=timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def text_of(request: dict) -> str:
    """Return the markdown a request carried, whatever the vendor."""
    body = request["body"]
    if "markdown" in body:
        return body["markdown"].get("content") or body["markdown"].get("text")
    return body["card"]["elements"][0]["content"]
