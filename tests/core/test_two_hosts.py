"""Two app servers, each with its own instance/ directory, on one PostgreSQL, one Redis and one S3 bucket
(moto): a session, a photo, a QR label, a tracking link and the push key made on one work on the other."""
import io
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
import requests
import zxingcpp
from PIL import Image, ImageDraw

from tests.factories import make_order
from tests.waiting import wait_until
from tests.warehouse.s3server import CREDENTIALS, new_bucket, s3_server

ROOT = Path(__file__).resolve().parents[2]
EAST = "浙江省杭州市西湖区文三路 90 号"
pytestmark = pytest.mark.pg


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Host:
    """One app server: gunicorn on 127.0.0.1, a random port, its own instance/ directory."""

    def __init__(self, env: dict, instance: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="orderhub-host-", suffix=".log")[1])
        full = dict(env, ORDERHUB_TEST_INSTANCE=str(instance), PYTHONUNBUFFERED="1")
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "4",
                 "--bind", f"127.0.0.1:{self.port}", "tests.core.two_hosts_wsgi:app"],
                cwd=ROOT, env=full, stdout=out, stderr=subprocess.STDOUT)

    def output(self) -> str:
        """Return what the server printed so far."""
        return self.log.read_text(errors="replace")

    def ready(self) -> bool:
        """Say whether /healthz answers 200."""
        if self.proc.poll() is not None:
            raise AssertionError(f"host exited:\n{self.output()}")
        try:
            return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        """Stop gunicorn and remove its log."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.unlink(missing_ok=True)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _login(host: Host, username: str) -> dict:
    """Log in on one host; return the cookies it set."""
    page = requests.get(f"{host.url}/login", timeout=10)
    resp = requests.post(f"{host.url}/login", cookies=page.cookies, allow_redirects=False, timeout=10,
                         data={"username": username, "password": "correct-horse-1", "csrf_token": _csrf(page.text)})
    assert resp.status_code in (302, 303), resp.text[:500]
    return {**page.cookies.get_dict(), **resp.cookies.get_dict()}


def _get(host: Host, path: str, cookies: dict, **kwargs) -> requests.Response:
    """GET a page with the cookies, keeping any cookie the answer updates (as a browser would)."""
    resp = requests.get(f"{host.url}{path}", cookies=cookies, timeout=10, **kwargs)
    cookies.update(resp.cookies.get_dict())
    return resp


def _qr_text(svg: str) -> str:
    """Decode the inline SVG QR of a label page (qrcode's path of unit squares) back into its text."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    picture = Image.new("L", (size * 10, size * 10), 255)
    draw = ImageDraw.Draw(picture)
    for x, y in re.findall(r"M(\d+),(\d+)H", svg):
        draw.rectangle([int(x) * 10, int(y) * 10, int(x) * 10 + 9, int(y) * 10 + 9], fill=0)
    return zxingcpp.read_barcodes(picture)[0].text


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 700), (90, 120, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def two_hosts(app, backend, database_url, tmp_path):
    """Start hosts A and B on this test's PostgreSQL database, the test Redis and a fresh S3 bucket."""
    redis_url = os.environ.get("REDIS_TEST_URL")
    if backend != "postgresql" or not redis_url:
        pytest.skip("needs TEST_DATABASE_URL and REDIS_TEST_URL")
    with s3_server() as endpoint:
        queue = f"orderhub-two-hosts-{uuid.uuid4().hex[:8]}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ORDERHUB_", "VAPID_", "TEST_DATABASE"))}
        env |= {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": secrets.token_urlsafe(32),
                "ORDERHUB_HUEY_NAME": queue, "ORDERHUB_BASE_URL": "https://orderhub.example",
                "ORDERHUB_S3_BUCKET": new_bucket(endpoint), "ORDERHUB_S3_ENDPOINT": endpoint,
                **{f"ORDERHUB_{k}": v for k, v in CREDENTIALS.items()}}
        hosts = [Host(env, tmp_path / name / "instance") for name in ("a", "b")]
        try:
            for host in hosts:
                wait_until(host.ready, timeout=90, message=host.output)
            yield hosts
        finally:
            for host in hosts:
                host.stop()
            import redis
            client = redis.Redis.from_url(redis_url)
            for key in client.scan_iter(f"*{queue}*"):
                client.delete(key)
            client.close()


def test_two_hosts_share_sessions_photos_labels_links_and_the_push_key(app, make_user, two_hosts):
    a, b = two_hosts
    make_user("manager", "boss")
    with app.app_context():
        no = make_order(status="confirmed", address=EAST).order_no
    cookies = _login(a, "boss")

    # A session made on A is a session on B.
    on_b = requests.get(f"{b.url}/pack/{no}", cookies=cookies, allow_redirects=False, timeout=10)
    assert on_b.status_code == 200 and no in on_b.text

    # A photo uploaded to A is served by B (through B's permission check, from the shared bucket).
    token = re.search(r'"X-CSRFToken": "([^"]+)"', _get(a, f"/pack/{no}", cookies).text).group(1)
    sent = requests.post(f"{a.url}/orders/{no}/photos", cookies=cookies, timeout=30,
                         headers={"X-CSRFToken": token, "Accept": "application/json"},
                         files={"photo": ("p.jpg", _jpeg(), "image/jpeg")})
    assert sent.status_code == 201, sent.text[:500]
    thumb = sent.json()["thumb"]
    from_a = requests.get(f"{a.url}{thumb}", cookies=cookies, timeout=10)
    from_b = requests.get(f"{b.url}{thumb}", cookies=cookies, timeout=10)
    assert from_b.status_code == 200 and from_b.headers["Content-Type"] == "image/jpeg"
    assert from_b.content == from_a.content and len(from_b.content) > 500
    assert requests.get(f"{b.url}{thumb}", allow_redirects=False, timeout=10).status_code in (302, 401)

    # The QR printed by A opens the order on B; a forged signature does not.
    label = requests.get(f"{a.url}/print/label/{no}", cookies=cookies, timeout=10).text
    url = _qr_text(re.search(r"<svg.*?</svg>", label, re.S).group(0))
    assert url.startswith("https://orderhub.example/o/")
    path = url.removeprefix("https://orderhub.example")
    opened = requests.get(f"{b.url}{path}", cookies=cookies, allow_redirects=False, timeout=10)
    assert opened.status_code == 303 and opened.headers["Location"].endswith(f"/pack/{no}")
    forged = requests.get(f"{b.url}/o/{no}?s={'A' * 22}", cookies=cookies, allow_redirects=False, timeout=10)
    assert forged.status_code >= 400

    # The tracking link A shows opens on B (no login); a tampered one does not.
    issued = requests.post(f"{a.url}/orders/{no}/tracking-link/new", cookies=cookies, timeout=10,
                           headers={"X-CSRFToken": token}, allow_redirects=False)
    assert issued.status_code in (200, 303), issued.status_code  # viewing the panel never issues a link
    panel = requests.get(f"{a.url}/carriers/orders/{no}/panel", cookies=cookies, timeout=10).text
    link = re.search(r"https://orderhub\.example(/t/[A-Za-z0-9_.\-]+)", panel).group(1)
    assert requests.get(f"{b.url}{link}", timeout=10).status_code == 200
    assert requests.get(f"{b.url}{link}x", timeout=10).status_code == 404

    # Both hosts give browsers the same VAPID key, so a subscription made through A is served by B's pushes.
    keys = [re.search(r'data-vapid-key="([^"]+)"', requests.get(f"{h.url}/notify/devices", cookies=cookies,
                                                                 timeout=10).text).group(1) for h in (a, b)]
    assert keys[0] == keys[1] and len(keys[0]) == 87
