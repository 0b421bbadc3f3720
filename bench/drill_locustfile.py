"""Locust users for the drill (bench/bench_drill.py starts locust with this file; not run on its own).

Mixed roles on the real routes: salespeople entering orders through the web form, API clients
creating and confirming orders with a Bearer token, warehouse workers scanning a label, adding a
photo, marking outbound and handing over to the courier, managers browsing the board and the
dashboard. Orders flow between them through in-process queues, so every order walks the whole
workflow: entry → confirmation (approval when over the limit) → pack with photo → outbound →
hand-over → completed. Every order number created and completed is written to DRILL_LOG at the end.

Settings (environment): DRILL_HOSTS (comma-separated base URLs; users spread over them),
DRILL_TOKEN (a manager's API token), DRILL_SECRET (the app's SECRET_KEY, to sign label codes as the
printed QR does), DRILL_MODE (`mixed` or `pipeline`), DRILL_LOG (JSON file written at the end).
"""
import base64
import hashlib
import hmac
import io
import itertools
import json
import os
import random
import re
import time

from gevent.queue import Empty, Queue
from locust import HttpUser, between, constant, events, task

HOSTS = os.environ.get("DRILL_HOSTS", "http://127.0.0.1:5000").split(",")
TOKEN = os.environ.get("DRILL_TOKEN", "")
SECRET = os.environ.get("DRILL_SECRET", "")
MODE = os.environ.get("DRILL_MODE", "mixed")
PASSWORD = "orderhub-demo"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|name="csrf-token" content="([^"]+)"')
ADDRESSES = ("浙江省杭州市西湖区文三路 90 号", "上海市浦东新区张江路 88 号", "江苏省南京市鼓楼区中山路 1 号")
SKUS = ("CUP-500", "TEA-LJ250", "RICE-5KG", "OIL-5L", "TOWEL-3")
SEQ = itertools.count(int(time.time()) % 10_000_000 * 100)
NEW, TO_PACK, TO_COMPLETE = Queue(), Queue(), Queue()
LOG = {"created": [], "confirmed": [], "packed": [], "completed": [], "errors": [], "requests": [], "failures": []}


def _photo() -> bytes:
    """A 1280 × 960 JPEG of noise: what the pack screen uploads after the phone scales a photo."""
    from PIL import Image
    out = io.BytesIO()
    Image.effect_noise((1280, 960), 30).convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


PHOTO = _photo()


def sign(order_no: str) -> str:
    """Sign an order number as the printed label does (webapp.warehouse.qr.sign)."""
    mac = hmac.new(SECRET.encode(), b"orderhub-label:" + order_no.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode()[:22]


def new_order(n: int) -> dict:
    """An order in the east region; one phone per order (the risk rules hold a phone's 4th order)."""
    big = MODE != "pipeline" and n % 10 == 0  # one in ten needs a manager's approval (mixed drill)
    return {"customer_name": f"客户{n % 997}", "customer_phone": f"139{n % 10**8:08d}",
            "address": random.choice(ADDRESSES), "external_id": f"DRILL-{n}",
            "items": [{"sku": random.choice(SKUS), "quantity": 400 if big else random.randint(1, 3)}]}


class Staff(HttpUser):
    """A person logged in through the real form on one of the hosts."""
    abstract = True
    username = ""

    def on_start(self):
        self.base = random.choice(HOSTS)
        self.csrf = ""
        page = self.client.get(self.base + "/login", name="GET /login")
        resp = self.client.post(self.base + "/login", name="POST /login", allow_redirects=False, data={
            "username": self.username, "password": PASSWORD, "csrf_token": self.token_from(page.text)})
        if resp.status_code != 302:
            LOG["errors"].append(f"login {self.username}: {resp.status_code}")

    def token_from(self, html: str) -> str:
        """Remember the CSRF token found in a page."""
        found = CSRF.search(html or "")
        if found:
            self.csrf = found.group(1) or found.group(2)
        return self.csrf

    def api(self, method: str, path: str, name: str, expected=(), **kw):
        """Call the REST API with the manager's token (an ERP / finance integration); `expected` lists
        refusals that are part of the flow (an order over the limit must go to approval first)."""
        headers = {"Authorization": f"Bearer {TOKEN}"}
        with self.client.request(method, self.base + "/api/v1" + path, name=name, headers=headers,
                                 catch_response=True, **kw) as resp:
            if resp.status_code in expected:
                resp.success()
        return resp

    def confirm(self, order_no: str) -> bool:
        """Confirm payment; an order over the approval limit goes to approval and is approved."""
        resp = self.api("POST", f"/orders/{order_no}/transitions", "API POST transitions →confirmed",
                        expected=(409, 422), json={"to": "confirmed"})
        if resp.status_code in (409, 422):
            ask = self.api("POST", f"/orders/{order_no}/transitions", "API POST transitions →awaiting_approval",
                           json={"to": "awaiting_approval"})
            ok = ask.status_code == 200 or "approval" in ask.text
            return ok and self.approve(order_no)
        if resp.status_code == 200:
            LOG["confirmed"].append(order_no)
            return True
        LOG["errors"].append(f"confirm {order_no}: {resp.status_code} {resp.text[:200]}")
        return False

    def approve(self, order_no: str) -> bool:
        """A manager opens the approve screen and taps 批准 (the step the API leaves to people)."""
        page = self.client.get(f"{self.base}/orders/{order_no}/approval", name="GET /orders/<no>/approval")
        version = re.search(r'name="version" value="(\d+)"', page.text)
        resp = self.client.post(f"{self.base}/orders/{order_no}/approval", name="POST /orders/<no>/approval",
                                data={"csrf_token": self.token_from(page.text), "decision": "approve",
                                      "version": version.group(1) if version else ""}, allow_redirects=False)
        if resp.status_code in (302, 303):
            LOG["confirmed"].append(order_no)
            return True
        LOG["errors"].append(f"approve {order_no}: {resp.status_code}")
        return False

    def enter_web(self) -> str | None:
        """Enter an order through the sales form; return its number."""
        n = next(SEQ)
        page = self.client.get(self.base + "/orders/new", name="GET /orders/new")
        order = new_order(n)
        form = {"csrf_token": self.token_from(page.text), "channel": "phone", "external_id": order["external_id"],
                "customer_name": order["customer_name"], "customer_phone": order["customer_phone"],
                "address": order["address"], "items-0-sku": order["items"][0]["sku"],
                "items-0-quantity": str(order["items"][0]["quantity"])}
        resp = self.client.post(self.base + "/orders", name="POST /orders (form)", data=form, allow_redirects=False)
        if resp.status_code != 303:
            LOG["errors"].append(f"enter: {resp.status_code}")
            return None
        return resp.headers["Location"].rstrip("/").rsplit("/", 1)[-1]

    def enter_api(self) -> str | None:
        """Create an order through the API; return its number."""
        resp = self.api("POST", "/orders", "API POST /orders", json=new_order(next(SEQ)))
        if resp.status_code != 201:
            LOG["errors"].append(f"api create: {resp.status_code} {resp.text[:200]}")
            return None
        return resp.json()["order_no"]

    def pack(self, order_no: str) -> bool:
        """Scan the label, add a photo, mark outbound, hand over to the courier."""
        self.client.get(f"{self.base}/o/{order_no}?s={sign(order_no)}", name="GET /o/<no> (scan label)")
        page = self.client.get(f"{self.base}/pack/{order_no}", name="GET /pack/<no>")
        token = self.token_from(page.text)
        self.client.post(f"{self.base}/orders/{order_no}/photos", name="POST /orders/<no>/photos",
                         files={"photo": ("pack.jpg", PHOTO, "image/jpeg")},
                         headers={"X-CSRFToken": token, "Accept": "application/json"})
        out = self.client.post(f"{self.base}/pack/{order_no}/outbound", name="POST /pack/<no>/outbound",
                               data={"csrf_token": token}, allow_redirects=False)
        hand = self.client.post(f"{self.base}/pack/{order_no}/handover", name="POST /pack/<no>/handover",
                                data={"csrf_token": token, "carrier": "顺丰", "tracking_no": f"SF{next(SEQ):012d}"},
                                allow_redirects=False)
        if out.status_code == 303 and hand.status_code == 303:
            LOG["packed"].append(order_no)
            return True
        LOG["errors"].append(f"pack {order_no}: outbound {out.status_code}, handover {hand.status_code}")
        return False

    def complete(self, order_no: str) -> None:
        """The customer signed for it: completed."""
        resp = self.api("POST", f"/orders/{order_no}/transitions", "API POST transitions →completed",
                        json={"to": "completed"})
        if resp.status_code == 200:
            LOG["completed"].append(order_no)
        else:
            LOG["errors"].append(f"complete {order_no}: {resp.status_code}")


def _take(queue: Queue, wait: float = 2.0):
    try:
        return queue.get(timeout=wait)
    except Empty:
        return None


if MODE == "pipeline":
    class Pipeline(Staff):
        """One order through the whole workflow, back to back (the capacity run)."""
        username, wait_time = "warehouse", constant(0)

        @task
        def whole_order(self):
            order_no = self.enter_api()
            if order_no:
                LOG["created"].append(order_no)
                if self.confirm(order_no) and self.pack(order_no):
                    self.complete(order_no)
else:
    class Sales(Staff):
        """A salesperson on a tablet: enters an order, glances at it, looks a customer up."""
        username, weight, wait_time = "sales", 3, between(2, 6)

        @task
        def enter(self):
            order_no = self.enter_web()
            if order_no:
                LOG["created"].append(order_no)
                NEW.put(order_no)
                self.client.get(f"{self.base}/orders/{order_no}", name="GET /orders/<no>")

    class ApiClient(Staff):
        """A shop or ERP: creates orders, confirms paid ones, closes delivered ones, lists changes."""
        username, weight, wait_time = "manager", 2, between(1, 3)

        @task(3)
        def create(self):
            order_no = self.enter_api()
            if order_no:
                LOG["created"].append(order_no)
                NEW.put(order_no)

        @task(4)
        def confirm_paid(self):
            order_no = _take(NEW, 0.5)
            if order_no and self.confirm(order_no):
                TO_PACK.put(order_no)

        @task(2)
        def close_delivered(self):
            order_no = _take(TO_COMPLETE, 0.5)
            if order_no:
                self.complete(order_no)

        @task(1)
        def list_changes(self):
            self.api("GET", "/orders?status=confirmed", "API GET /orders?status")

    class Warehouse(Staff):
        """A warehouse worker on a phone: takes the next confirmed order and ships it."""
        username, weight, wait_time = "warehouse", 4, between(1, 4)

        @task(5)
        def ship_next(self):
            order_no = _take(TO_PACK)
            if order_no and self.pack(order_no):
                TO_COMPLETE.put(order_no)

        @task(1)
        def home(self):
            self.client.get(self.base + "/", name="GET / (warehouse home)")

    class Board(Staff):
        """A manager at a desk: the board filtered, an order, the dashboard."""
        username, weight, wait_time = "manager", 3, between(3, 8)

        @task(4)
        def board(self):
            status = random.choice(("confirmed", "outbound", "in_transit", "pending_payment"))
            self.client.get(f"{self.base}/orders?status={status}", name="GET /orders?status")

        @task(2)
        def one_order(self):
            if LOG["created"]:
                self.client.get(f"{self.base}/orders/{random.choice(LOG['created'])}", name="GET /orders/<no>")

        @task(1)
        def dashboard(self):
            self.client.get(self.base + "/dashboard", name="GET /dashboard")


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, response=None, **_kw):
    """Keep every request's wall time, name, milliseconds and outcome (faults are judged per window);
    for a failed one also its status and the start of its body (to explain failures)."""
    LOG["requests"].append((round(time.time(), 2), name, round(response_time, 1), exception is None))
    if exception is not None:
        status = getattr(response, "status_code", None)
        body = (getattr(response, "text", "") or "")[:300] if response is not None else ""
        LOG["failures"].append((round(time.time(), 2), name, status, body or repr(exception)[:300]))


@events.test_stop.add_listener
def _write_log(**_kw):
    """Write what was created and completed, for the bench to compare with the database."""
    path = os.environ.get("DRILL_LOG")
    if path:
        with open(path, "w") as fh:
            json.dump(LOG, fh)
