"""A local fake 微信小店 on 127.0.0.1 for tests and benches: token, order list/get, shipping-info upload.

It speaks the documented shapes (POST JSON, `?access_token=`, errcode/errmsg), and can be told to
expire the token, answer "system busy" (errcode -1), answer HTTP errors, or be down.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.intake.models import Channel

APP_ID, APP_SECRET = "wx0fakeshop000001", "fake-app-secret-0001"


def order(order_id: str, update_time: int, *, sku="QC-5KG", qty=2, status=20, name="王小明",
          phone="13800138000", county="西湖区", detail="文三路90号", freight=0) -> dict:
    """One channels/ec order as order/get answers it."""
    return {"order_id": order_id, "status": status, "create_time": update_time - 60, "update_time": update_time,
            "openid": f"o-buyer-{order_id}",
            "order_detail": {
                "product_infos": [{"product_id": "10001", "sku_id": "20001", "sku_code": sku, "sku_cnt": qty,
                                   "title": "赣南脐橙 5kg", "sale_price": 6800}],
                "pay_info": {"payment_method": 1, "transaction_id": f"4200{order_id}", "pay_time": update_time - 30},
                "price_info": {"product_price": 6800 * qty, "order_price": 6800 * qty + freight, "freight": freight},
                "delivery_info": {"address_info": {"user_name": name, "tel_number": phone, "province_name": "浙江省",
                                                   "city_name": "杭州市", "county_name": county,
                                                   "detail_info": detail}},
                "ext_info": {"customer_notes": ""}}}


class FakePlatform:
    """The fake shop: orders by id, issued tokens, recorded requests and shipping uploads."""

    def __init__(self):
        self.orders: dict[str, dict] = {}
        self.ghosts: dict[str, int] = {}  # listed (id → update time) but gone when fetched
        self.requests: list[dict] = []
        self.uploads: list[dict] = []
        self.token, self.tokens_issued = "", 0
        self.busy = 0  # answer errcode -1 to this many API calls
        self.statuses: list[int] = []  # answer these HTTP statuses first (one per API call)
        self.fail_on: dict[str, list[int]] = {}  # path → statuses to answer on that path first
        self.fail_later: dict[str, list[int]] = {}  # path → [calls answered first, then this status once]
        self.down = False
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = fake.answer(self.path, body)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.allow = f"127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, *orders: dict) -> None:
        """Put orders on the platform (or replace them)."""
        with self.lock:
            self.orders.update({o["order_id"]: o for o in orders})

    def expire(self) -> None:
        """Make the token in use invalid (as after its 2 hours)."""
        with self.lock:
            self.token = "expired-" + self.token

    def calls(self, path: str) -> list[dict]:
        """Return the JSON bodies sent to a path, in order."""
        with self.lock:
            return [r["body"] for r in self.requests if r["path"] == path]

    def answer(self, raw_path: str, body: bytes) -> tuple[int, dict]:
        """Answer one request as the platform would."""
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query)
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return 200, {"errcode": 47001, "errmsg": "data format error"}
        with self.lock:
            self.requests.append({"path": path, "body": data})
            if self.down:
                return 503, {"errmsg": "service unavailable"}
            if self.fail_on.get(path):
                return self.fail_on[path].pop(0), {"errmsg": "server error"}
            if path in self.fail_later:
                if self.fail_later[path][0] == 0:
                    return self.fail_later.pop(path)[1], {"errmsg": "bad gateway"}
                self.fail_later[path][0] -= 1
            if path == "/cgi-bin/stable_token":
                return 200, self._token(data)
            if self.statuses:
                return self.statuses.pop(0), {"errmsg": "server error"}
            if (query.get("access_token") or [""])[0] != self.token or not self.token:
                return 200, {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
            if self.busy:
                self.busy -= 1
                return 200, {"errcode": -1, "errmsg": "system error"}
            handler = {"/channels/ec/order/list/get": self._list, "/channels/ec/order/get": self._get,
                       "/wxa/sec/order/upload_shipping_info": self._upload}.get(path)
            return (200, handler(data)) if handler else (404, {"errcode": 404, "errmsg": "not found"})

    def _token(self, data: dict) -> dict:
        if data.get("appid") != APP_ID or data.get("secret") != APP_SECRET:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        self.tokens_issued += 1
        self.token = f"TOKEN-{self.tokens_issued}"
        return {"access_token": self.token, "expires_in": 7200}

    def _list(self, data: dict) -> dict:
        window = data.get("update_time_range") or {}
        start, end = int(window.get("start_time", 0)), int(window.get("end_time", 0))
        if end - start > 7 * 86400:
            return {"errcode": 10020004, "errmsg": "time range over 7 days"}
        times = {oid: o["update_time"] for oid, o in self.orders.items()} | self.ghosts
        found = sorted((at, oid) for oid, at in times.items() if start <= at <= end)
        offset, size = int(data.get("next_key") or 0), min(int(data.get("page_size") or 10), 100)
        page = [oid for _at, oid in found[offset:offset + size]]
        more = offset + size < len(found)
        return {"errcode": 0, "errmsg": "ok", "order_id_list": page, "next_key": str(offset + size), "has_more": more}

    def _get(self, data: dict) -> dict:
        found = self.orders.get(str(data.get("order_id")))
        if found is None:
            return {"errcode": 10020026, "errmsg": "order not exist"}
        return {"errcode": 0, "errmsg": "ok", "order": found}

    def _upload(self, data: dict) -> dict:
        key = data.get("order_key") or {}
        known = {o["order_detail"]["pay_info"]["transaction_id"] for o in self.orders.values()}
        if key.get("order_number_type") != 2 or key.get("transaction_id") not in known:
            return {"errcode": 10060001, "errmsg": "支付单不存在"}
        if not data.get("shipping_list") or not (data.get("payer") or {}).get("openid"):
            return {"errcode": 10060014, "errmsg": "参数错误"}
        self.uploads.append(data)
        return {"errcode": 0, "errmsg": "ok"}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def platform(app):
    """A fake 微信小店 the app may reach (ORDERHUB_OUTBOUND_ALLOW)."""
    fake = FakePlatform()
    app.config["OUTBOUND_ALLOW"] = fake.allow
    yield fake
    fake.close()


@pytest.fixture
def wxshop(app, runner, make_user, platform, catalogue):
    """A pull channel `wxshop` connected to the fake platform (2 orders a page); return its code."""
    make_user("sales", "shopbot")
    added = runner.invoke(args=["channel", "add", "wxshop", "--label", "微信小店", "--kind", "pull", "--user", "shopbot"])
    assert added.exit_code == 0, added.output
    connected = runner.invoke(args=["channel", "platform", "wxshop", "--adapter", "wechat_shop", "--base-url",
                                    platform.url, "--app-id", APP_ID], env={"ORDERHUB_CHANNEL_SECRET": APP_SECRET})
    assert connected.exit_code == 0, (connected.output, repr(connected.exception))
    with app.app_context():
        channel = db.session.scalar(select(Channel).where(Channel.code == "wxshop"))
        channel.settings = json.dumps(json.loads(channel.settings) | {"page_size": 2})
        db.session.commit()
    return "wxshop"
