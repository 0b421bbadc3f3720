"""POST /scan: a photo of the label decoded on the server, a live-camera read, or a typed number."""
import re

import pytest
from sqlalchemy import select

from tests.warehouse.conftest import NORTH, plain_jpeg, qr_picture, upload
from webapp.extensions import db
from webapp.warehouse.models import Scan


def _methods(in_db):
    return in_db(lambda: db.session.scalars(select(Scan.method).order_by(Scan.id)).all())


def test_scan_screen_opens_the_camera_and_offers_photo_and_typing(client, login_as):
    login_as("warehouse")
    page = client.get("/scan").get_data(as_text=True)
    assert "data-scanner" in page and re.search(r"js/scan(\.[0-9a-f]{10})?\.js", page)  # hashed in production
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    assert 'name="code"' in page
    assert "jsQR" not in page.split("data-decoder")[0]  # the decoder is fetched by scan.js, not loaded here


def test_photo_of_the_label_opens_the_order_and_counts_as_a_scan(client, login_as, new_order, label, in_db):
    login_as("warehouse")
    no = new_order()
    resp = client.post("/scan", data={"photo": upload(qr_picture(label(no)))})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/pack/{no}")
    assert _methods(in_db) == ["photo"]


def test_png_photo_works_too(client, login_as, new_order, label):
    login_as("warehouse")
    no = new_order()
    resp = client.post("/scan", data={"photo": upload(qr_picture(label(no), fmt="PNG"), "x.png")})
    assert resp.status_code == 303


def test_unreadable_photo_says_how_to_retry(client, login_as, in_db):
    login_as("warehouse")
    resp = client.post("/scan", data={"photo": upload(plain_jpeg())})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "没能识别二维码" in page and "靠近一些" in page
    assert "重新拍照" in page  # the retry button
    assert _methods(in_db) == []


def test_non_image_upload_is_refused_with_a_message(client, login_as):
    login_as("warehouse")
    resp = client.post("/scan", data={"photo": upload(b"%PDF-1.4 not a picture", "doc.pdf")})
    assert resp.status_code == 422
    assert "不是图片" in resp.get_data(as_text=True)


def test_oversized_photo_gets_413_with_a_friendly_message(app, client, login_as):
    login_as("warehouse")
    app.config["PHOTO_MAX_BYTES"] = 2 * 1024 * 1024
    resp = client.post("/scan", data={"photo": upload(b"\xff\xd8" + b"0" * (2 * 1024 * 1024))})
    assert resp.status_code == 413
    assert "照片大于 2 MB" in resp.get_data(as_text=True)


def test_request_above_the_upload_cap_gets_413_with_the_photo_message(app, client, login_as):
    login_as("warehouse")
    app.config["MAX_CONTENT_LENGTH"] = app.config["PHOTO_MAX_BYTES"] = 1024 * 1024
    resp = client.post("/scan", data={"photo": upload(b"0" * (1024 * 1024 + 10))})
    assert resp.status_code == 413
    assert "1 MB" in resp.get_data(as_text=True)


def test_foreign_qr_photo_is_refused(client, login_as, in_db):
    login_as("warehouse")
    resp = client.post("/scan", data={"photo": upload(qr_picture("https://example.com/pay?id=42"))})
    assert resp.status_code == 422
    assert "不是订单中枢的订单标签" in resp.get_data(as_text=True)
    assert _methods(in_db) == []


def test_tampered_qr_photo_is_refused(client, login_as, new_order):
    login_as("warehouse")
    no = new_order()
    resp = client.post("/scan", data={"photo": upload(qr_picture(f"http://orderhub.test/o/{no}?s=forged123456789"))})
    assert resp.status_code == 403
    assert "二维码被改动过" in resp.get_data(as_text=True)


def test_live_camera_read_counts_as_a_scan(client, login_as, new_order, label, in_db):
    login_as("warehouse")
    no = new_order()
    resp = client.post("/scan", data={"code": label(no), "via": "camera"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/pack/{no}")
    assert _methods(in_db) == ["camera"]


def test_typed_number_opens_the_order_without_counting_as_a_scan(client, login_as, new_order, in_db):
    login_as("warehouse")
    no = new_order()
    resp = client.post("/scan", data={"code": no.lower()})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/pack/{no}")
    assert _methods(in_db) == []


def test_camera_read_of_something_else_is_not_taken_as_a_number(client, login_as, new_order):
    login_as("warehouse")
    no = new_order()
    assert client.post("/scan", data={"code": no, "via": "camera"}).status_code == 422


@pytest.mark.parametrize("how", ["photo", "code"])
def test_order_outside_my_regions_is_not_found(client, login_as, new_order, label, how):
    login_as("warehouse", regions=["east"])
    no = new_order(address=NORTH)
    data = {"photo": upload(qr_picture(label(no)))} if how == "photo" else {"code": no}
    assert client.post("/scan", data=data).status_code == 404


def test_order_not_yet_confirmed_is_not_shown_to_the_warehouse(client, login_as, new_order):
    login_as("warehouse")
    no = new_order(status="pending_payment")
    assert client.post("/scan", data={"code": no}).status_code == 404
