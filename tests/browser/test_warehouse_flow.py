"""Warehouse phone flow on a Pixel 7 as a first-time worker: home → scan → pack → photo → outbound,
counting taps (≤ 4 plus the photo), every tap target ≥ 48 × 48 px, a screenshot per step; through the
live camera (a fake camera playing the order's QR), the photo fallback and the QR's URL itself."""
import io
import time

import pytest
import qrcode
from PIL import Image

from tests.browser.conftest import CHROMIUM, PASSWORD, login, screenshot, small_targets
from tests.factories import make_order
from webapp.warehouse import qr

TIMINGS = {}


def label_url(live_server, order_no: str) -> str:
    """Return the URL the order's printed QR carries, pointing at the live server."""
    return f"{live_server.url}/o/{order_no}?s={qr.sign(order_no, live_server.app.config['SECRET_KEY'])}"


def picture_of(text: str, size=(1280, 960), background=(150, 150, 140)) -> bytes:
    """Return a JPEG like a phone photo of a label: a QR of text on a grey table."""
    code = qrcode.make(text, box_size=10, border=4).convert("RGB")
    canvas = Image.new("RGB", size, background)
    canvas.paste(code, ((size[0] - code.width) // 2, (size[1] - code.height) // 2))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=90)
    return out.getvalue()


def write_mjpeg(text: str, path, frames: int = 20) -> None:
    """Write a 640 × 480 MJPEG of the QR for Chromium's fake camera."""
    code = qrcode.make(text, box_size=6, border=4).convert("RGB")
    frame = Image.new("RGB", (640, 480), (110, 110, 105))
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    buf = io.BytesIO()
    frame.save(buf, "JPEG", quality=92)
    path.write_bytes(buf.getvalue() * frames)


class Taps:
    """Count a user's taps; before each, check every tap target is ≥ 48 × 48 px; screenshot each step."""

    def __init__(self, page, name):
        self.page, self.name, self.count, self.photos, self.step = page, name, 0, 0, 0

    def shot(self, label):
        self.step += 1
        assert small_targets(self.page) == [], (label, small_targets(self.page))
        return screenshot(self.page, f"warehouse-{self.name}-{self.step}-{label}")

    def tap(self, selector):
        self.count += 1
        self.page.tap(selector)

    def photo(self, selector, data: bytes):
        """Tap a photo button and 'take' the picture (the camera's shutter is not counted as a tap)."""
        with self.page.expect_file_chooser() as chooser:
            self.tap(selector)
        self.photos += 1
        chooser.value.set_files(files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": data}])


def _order(live_server):
    with live_server.app.app_context():
        return make_order(status="confirmed").order_no


def _pack_and_ship(page, taps, order_no):
    page.wait_for_url(f"**/pack/{order_no}", timeout=20_000)
    assert "保温杯 500ml" in page.inner_text("main")
    assert page.is_disabled("[data-testid=outbound]")
    taps.shot("pack")
    taps.photo("[data-testid=take-photo]", picture_of("packed parcel", background=(180, 140, 90)))
    page.wait_for_selector("[data-testid=outbound]:not([disabled])", timeout=15_000)
    assert "照片 1 张" in page.inner_text("main")
    taps.shot("photo-taken")
    taps.tap("[data-testid=outbound]")
    page.wait_for_url(f"**/pack/{order_no}/done")
    assert "已出库" in page.inner_text("main")
    taps.shot("done")


@pytest.fixture
def camera_order(live_server, playwright_session, chromium_args, tmp_path):
    """An order, and a Pixel 7 page whose (fake) camera films that order's QR label."""
    order_no = _order(live_server)
    video = tmp_path / "label.mjpeg"
    write_mjpeg(label_url(live_server, order_no), video)
    args = chromium_args + ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                            f"--use-file-for-fake-video-capture={video}"]
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, args=args)
    context = browser.new_context(**playwright_session.devices["Pixel 7"], locale="zh-CN", permissions=["camera"])
    yield order_no, context.new_page()
    context.close()
    browser.close()


def test_live_camera_flow_in_at_most_four_taps_plus_the_photo(live_server, camera_order):
    order_no, page = camera_order
    live_server.user("warehouse", username="laoli")
    login(page, live_server.url, "laoli")
    taps, started = Taps(page, "camera"), time.perf_counter()
    taps.shot("home")
    taps.tap("[data-testid=scan]")
    _pack_and_ship(page, taps, order_no)
    TIMINGS["camera"] = time.perf_counter() - started
    assert taps.count <= 4 and taps.photos == 1, (taps.count, taps.photos)
    print(f"\nlive camera: {taps.count} taps + {taps.photos} photo, {TIMINGS['camera']:.1f} s")


def test_photo_fallback_flow_works_without_a_live_camera(live_server, phone):
    order_no = _order(live_server)
    live_server.user("warehouse", username="laozhang")
    login(phone, live_server.url, "laozhang")
    taps, started = Taps(phone, "photo"), time.perf_counter()
    taps.shot("home")
    taps.tap("[data-testid=scan]")
    phone.wait_for_selector("text=无法使用摄像头", timeout=10_000)
    taps.shot("scan-no-camera")
    taps.photo("[data-testid=scan-photo]", picture_of(label_url(live_server, order_no)))
    _pack_and_ship(phone, taps, order_no)
    took = time.perf_counter() - started
    assert taps.count <= 4, taps.count
    print(f"\nphoto fallback: {taps.count} taps + {taps.photos} photos, {took:.1f} s")


def test_unreadable_photo_offers_a_retry(live_server, phone):
    live_server.user("warehouse", username="laozhao")
    login(phone, live_server.url, "laozhao")
    phone.goto(live_server.url + "/scan")
    taps = Taps(phone, "unreadable")
    taps.photo("[data-testid=scan-photo]", picture_of("x")[:0] or _blank_jpeg())
    phone.wait_for_selector("[data-testid=scan-error]")
    assert "没能识别二维码" in phone.inner_text("[data-testid=scan-error]")
    assert "重新拍照识别" in phone.inner_text("[data-testid=scan-photo]")
    taps.shot("retry")


def _blank_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 200, 200)).save(out, "JPEG")
    return out.getvalue()


def test_opening_the_qr_url_with_the_phone_camera_app_goes_straight_to_packing(live_server, phone):
    order_no = _order(live_server)
    live_server.user("warehouse", username="laowang")
    phone.goto(label_url(live_server, order_no))          # what the phone's own camera app does
    assert "/login" in phone.url
    taps, started = Taps(phone, "qr-url"), time.perf_counter()
    taps.shot("login")
    phone.fill("input[name=username]", "laowang")
    phone.fill("input[name=password]", PASSWORD)
    taps.tap("button[type=submit]")
    _pack_and_ship(phone, taps, order_no)
    took = time.perf_counter() - started
    assert taps.count <= 3, taps.count  # log in, photo, mark outbound
    print(f"\nQR URL: {taps.count} taps (incl. log-in) + {taps.photos} photo, {took:.1f} s")


def test_tampered_qr_url_is_refused_in_the_browser(live_server, phone):
    order_no = _order(live_server)
    live_server.user("warehouse", username="laosun")
    login(phone, live_server.url, "laosun")
    phone.goto(f"{live_server.url}/o/{order_no}?s=forged-signature-0000")
    assert "二维码被改动过" in phone.inner_text("main")
