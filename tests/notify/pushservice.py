"""A local push service on 127.0.0.1 for tests: records what arrives and decrypts it like a browser."""
import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Device:
    """A browser's push subscription: its endpoint, its key pair and auth secret."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    def to_json(self) -> dict:
        """Return what PushSubscription.toJSON() gives the page."""
        point = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                   serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64(point), "auth": b64(self.auth)}}

    def decrypt(self, body: bytes) -> dict:
        """Decrypt an aes128gcm message the way the browser would."""
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


class PushService:
    """Collect POSTs per device path; answer each path with a chosen status (201 by default)."""

    def __init__(self):
        self.received: list[dict] = []
        self.status: dict[str, int] = {}
        self.devices: dict[str, Device] = {}
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with service.lock:
                    service.received.append({"path": self.path, "body": body,
                                             "headers": {k.lower(): v for k, v in self.headers.items()},
                                             "at": time.perf_counter()})
                self.send_response(service.status.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def device(self, name: str) -> Device:
        """Create a device whose endpoint is on this service."""
        self.devices[f"/push/{name}"] = Device(f"{self.base}/push/{name}")
        return self.devices[f"/push/{name}"]

    def messages(self, name: str | None = None) -> list[dict]:
        """Return decrypted payloads (with the request headers) that reached a device (or all)."""
        out = []
        with self.lock:
            got = list(self.received)
        for item in got:
            if name is None or item["path"] == f"/push/{name}":
                device = self.devices[item["path"]]
                if 200 <= self.status.get(item["path"], 201) < 300:
                    out.append(device.decrypt(item["body"]) | {"_headers": item["headers"], "_path": item["path"]})
        return out

    def close(self):
        self.server.shutdown()
        self.server.server_close()
