"""Expensive pictures are bounded: a tiny PNG of 36 megapixels is refused before it is decoded, a big
JPEG is decoded scaled down, and picture work takes turns so /healthz and other requests stay free."""
import io
import struct
import threading
import time
import zlib

import pytest
from PIL import Image

from tests.warehouse.conftest import plain_jpeg, upload
from webapp.core.errors import AppError
from webapp.warehouse import images

WIDTH, HEIGHT = 7360, 4912  # 36 megapixels, a camera's full size


def flat_png(width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """Return a one-colour RGB PNG: tens of megapixels in about a hundred kilobytes (a decompression bomb)."""
    rows = (b"\x00" + b"\x80" * (width * 3)) * 64
    packer = zlib.compressobj(6)
    body = b"".join(packer.compress(rows) for _ in range(height // 64))
    body += packer.compress(rows[:len(rows) // 64 * (height % 64)]) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """The picture from the report: a 36 MP PNG of about 115 kB."""
    return flat_png()


def _post(client, no, data, name="p.png"):
    return client.post(f"/orders/{no}/photos", data={"photo": upload(data, name)},
                       headers={"Accept": "application/json"})


def test_the_36_megapixel_png_is_refused_before_decoding(bomb, client, login_as, new_order):
    assert len(bomb) < 200_000 and Image.open(io.BytesIO(bomb)).size == (WIDTH, HEIGHT)
    login_as("warehouse")
    resp = _post(client, new_order(), bomb)
    assert resp.status_code == 413
    assert resp.get_json()["error"] == "too_many_pixels"
    assert "JPEG" in resp.get_json()["message"]


def test_the_36_megapixel_png_sent_to_the_scanner_gets_a_friendly_refusal(bomb, client, login_as):
    login_as("warehouse")
    resp = client.post("/scan", data={"photo": upload(bomb, "code.png")})
    assert resp.status_code == 413
    assert "JPEG" in resp.get_data(as_text=True)


def test_a_png_below_the_full_decode_cap_is_still_accepted(client, login_as, new_order):
    login_as("warehouse")
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (10, 200, 30)).save(out, "PNG")
    assert _post(client, new_order(), out.getvalue()).status_code == 201


def test_a_36_megapixel_jpeg_is_decoded_scaled_down(app):
    data = plain_jpeg((WIDTH, HEIGHT))
    with app.app_context():
        img = images.open_image(data, 1600)
    assert 1600 <= max(img.size) < WIDTH // 2  # libjpeg decoded at 1/4 scale, never the full 36 MP


def test_a_36_megapixel_jpeg_upload_is_stored_at_1600_px(app, client, login_as, new_order):
    login_as("warehouse")
    no = new_order()
    resp = _post(client, no, plain_jpeg((WIDTH, HEIGHT)), "big.jpg")
    assert resp.status_code == 201
    thumb = client.get(resp.get_json()["thumb"].replace("size=thumb", "size=full"))
    assert max(Image.open(io.BytesIO(thumb.data)).size) == 1600


@pytest.mark.parametrize("slots", [1, 2])
def test_picture_work_takes_turns(app, slots):
    app.config.update(IMAGE_CONCURRENCY=slots, IMAGE_WAIT=30)
    busy, most, lock = [0], [0], threading.Lock()
    entered = threading.Barrier(slots, timeout=10)

    def work():
        with app.app_context(), images.turn():
            with lock:
                busy[0] += 1
                most[0] = max(most[0], busy[0])
            if slots > 1:
                entered.wait()  # prove that `slots` pictures do run side by side
            time.sleep(0.05)  # long enough for the others to pile up at the door
            with lock:
                busy[0] -= 1
    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert most[0] == slots


def test_healthz_answers_while_a_picture_is_decoded_and_the_next_picture_waits_its_turn(
        app, login_as, new_order, monkeypatch):
    app.config.update(IMAGE_CONCURRENCY=1, IMAGE_WAIT=0.3)
    decoding, release = threading.Event(), threading.Event()
    real_open = images.open_image

    def slow_open(data, edge=None):
        decoding.set()
        release.wait(timeout=30)
        return real_open(data, edge)
    monkeypatch.setattr(images, "open_image", slow_open)
    first, second = app.test_client(), app.test_client()
    login_as("warehouse", c=first)
    login_as("warehouse", c=second)
    no = new_order()
    answers = {}
    worker = threading.Thread(target=lambda: answers.setdefault("first", _post(first, no, plain_jpeg(), "a.jpg")))
    worker.start()
    try:
        assert decoding.wait(timeout=30)
        health = second.get("/healthz")
        assert health.status_code == 200 and health.get_json()["status"] == "ok"
        waited = _post(second, no, plain_jpeg(), "b.jpg")  # and no database lock is held meanwhile
        assert waited.status_code == 503 and waited.get_json()["error"] == "busy"
    finally:
        release.set()
        worker.join(timeout=30)
    assert answers["first"].status_code == 201


def test_turn_refuses_with_503_when_no_slot_frees_up(app):
    app.config.update(IMAGE_CONCURRENCY=1, IMAGE_WAIT=0.05)
    with app.app_context(), images.turn():
        holder_done = []

        def other():
            with app.app_context():
                try:
                    with images.turn():
                        holder_done.append("ran")
                except AppError as exc:
                    holder_done.append(exc.status)
        t = threading.Thread(target=other)
        t.start()
        t.join(timeout=10)
    assert holder_done == [503]
