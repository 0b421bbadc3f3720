"""A local webhook receiver on 127.0.0.1 for tests and benches, and Standard Webhooks verification
written with the standard library only (what an integrator would write)."""
import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def signatures_valid(secret: str, headers: dict, body: bytes) -> list[bool]:
    """Check each v1 signature of a request against one whsec_ secret; one bool per signature."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    found = []
    for part in headers["webhook-signature"].split(" "):
        version, _, signature = part.partition(",")
        found.append(version == "v1" and hmac.compare_digest(signature, expected))
    return found


def verified(secret: str, headers: dict, body: bytes, tolerance: int = 300) -> bool:
    """Say whether any signature matches and the timestamp is within the tolerance."""
    fresh = abs(time.time() - int(headers["webhook-timestamp"])) <= tolerance
    return fresh and any(signatures_valid(secret, headers, body))


class Receiver:
    """Record POSTs; answer with the next queued status (200 once the queue is empty)."""

    def __init__(self):
        self.received: list[dict] = []
        self.statuses: list[int] = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as two writes: do not wait for an ACK

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.received.append({"path": self.path, "body": body, "status": status,
                                              "headers": {k.lower(): v for k, v in self.headers.items()},
                                              "at": time.perf_counter()})
                    receiver.arrived.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def allow(self) -> str:
        """Return the ORDERHUB_OUTBOUND_ALLOW entry for this receiver."""
        return f"127.0.0.1:{self.port}"

    def events(self) -> list[dict]:
        """Return the JSON bodies received so far, in arrival order."""
        with self.lock:
            return [json.loads(r["body"]) for r in self.received]

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """Wait until `count` requests have arrived."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.received) >= count, timeout=timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
