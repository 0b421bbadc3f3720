"""Photo evidence: stored re-encoded without EXIF/GPS, upright, thumbnailed, outside static/, and
served only to users who may see the order."""
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from tests.warehouse.conftest import NORTH, plain_jpeg, upload
from webapp.extensions import db
from webapp.warehouse.models import Photo


def _exif_with_gps_and_rotation() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6                      # orientation: rotate 90° clockwise to show upright
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}  # GPS
    return exif.tobytes()


def _post_photo(client, no, data, name="p.jpg"):
    return client.post(f"/orders/{no}/photos", data={"photo": upload(data, name)},
                       headers={"Accept": "application/json"})


def test_upload_stores_a_reencoded_photo_and_answers_json(app, client, login_as, new_order, in_db):
    login_as("warehouse")
    no = new_order()
    resp = _post_photo(client, no, plain_jpeg((4000, 3000)))
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["count"] == 1 and body["ready"] is False  # no scan yet
    photo = in_db(lambda: db.session.scalars(select(Photo)).one())
    stored = Path(app.config["UPLOAD_DIR"]) / photo.path
    assert stored.exists() and "static" not in str(stored.parent)
    with Image.open(stored) as img:
        assert img.format == "JPEG" and max(img.size) == 1600
    with Image.open(Path(app.config["UPLOAD_DIR"]) / photo.thumb_path) as thumb:
        assert max(thumb.size) == 320


def test_exif_and_gps_are_gone_and_the_photo_is_upright(app, client, login_as, new_order, in_db):
    login_as("warehouse")
    no = new_order()
    original = plain_jpeg((800, 600), exif=_exif_with_gps_and_rotation())
    assert Image.open(io.BytesIO(original)).getexif().get(0x0112) == 6
    assert _post_photo(client, no, original).status_code == 201
    photo = in_db(lambda: db.session.scalars(select(Photo)).one())
    served = client.get(f"/orders/{no}/photos/{photo.id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(served.data)) as img:
        assert img.size == (600, 800)     # turned upright
        assert len(img.getexif()) == 0    # no EXIF at all, so no GPS
        assert b"Exif" not in served.data[:64] and b"PhoneMaker" not in served.data


def test_non_image_upload_is_refused(client, login_as, new_order):
    login_as("warehouse")
    no = new_order()
    resp = _post_photo(client, no, b"MZ\x90\x00 definitely not an image", "setup.exe")
    assert resp.status_code == 422
    assert resp.get_json()["error"] == "not_an_image"
    assert "不是图片" in resp.get_json()["message"]


def test_truncated_image_is_refused(client, login_as, new_order):
    login_as("warehouse")
    no = new_order()
    assert _post_photo(client, no, plain_jpeg()[:300]).status_code == 422


def test_oversized_upload_gets_413(app, client, login_as, new_order):
    login_as("warehouse")
    no = new_order()
    app.config["PHOTO_MAX_BYTES"] = 1024 * 1024
    resp = _post_photo(client, no, b"\xff\xd8" + b"1" * (1024 * 1024 + 1))
    assert resp.status_code == 413
    assert "1 MB" in resp.get_json()["message"]


def test_picture_above_40_megapixels_gets_413(client, login_as, new_order):
    login_as("warehouse")
    no = new_order()
    out = io.BytesIO()
    Image.new("1", (7000, 6000)).save(out, "PNG")
    resp = _post_photo(client, no, out.getvalue(), "huge.png")
    assert resp.status_code == 413
    assert "4000 万像素" in resp.get_json()["message"]


def test_heic_from_an_iphone_is_accepted(client, login_as, new_order):
    pillow_heif = pytest.importorskip("pillow_heif")
    login_as("warehouse")
    no = new_order()
    out = io.BytesIO()
    try:
        pillow_heif.from_pillow(Image.new("RGB", (640, 480), (10, 120, 200))).save(out, quality=50)
    except Exception as exc:  # an encoder-less libheif build can read but not write
        pytest.skip(f"cannot write HEIC here: {exc}")
    assert _post_photo(client, no, out.getvalue(), "IMG_0001.HEIC").status_code == 201


def _one_photo(client, login_as, new_order, in_db, address=None):
    login_as("manager", username="uploader")
    no = new_order(**({"address": address} if address else {}))
    assert _post_photo(client, no, plain_jpeg()).status_code == 201
    client.post("/logout")
    return no, in_db(lambda: db.session.scalars(select(Photo.id)).one())


@pytest.mark.parametrize("role, regions, status", [
    ("warehouse", ["north"], 403),   # another region
    ("sales", None, 403),            # not their order
    ("warehouse", ["east"], 200),
    ("manager", None, 200),
    ("support", None, 200),
])
def test_photo_is_served_only_to_users_who_may_see_the_order(client, login_as, new_order, in_db,
                                                             role, regions, status):
    no, photo_id = _one_photo(client, login_as, new_order, in_db)
    login_as(role, regions=regions)
    assert client.get(f"/orders/{no}/photos/{photo_id}").status_code == status
    assert client.get(f"/orders/{no}/photos/{photo_id}?size=thumb").status_code == status


def test_photo_id_of_another_order_is_not_served_under_this_order(client, login_as, new_order, in_db):
    no, photo_id = _one_photo(client, login_as, new_order, in_db)
    login_as("warehouse")
    other = new_order()
    assert client.get(f"/orders/{other}/photos/{photo_id}").status_code == 404


def test_anonymous_photo_request_goes_to_login(client, login_as, new_order, in_db):
    no, photo_id = _one_photo(client, login_as, new_order, in_db)
    assert client.get(f"/orders/{no}/photos/{photo_id}").status_code == 302


def test_user_outside_the_scope_cannot_upload(client, login_as, new_order):
    login_as("warehouse", regions=["east"])
    no = new_order(address=NORTH)
    assert _post_photo(client, no, plain_jpeg()).status_code == 404


def test_role_without_photo_write_cannot_upload(client, login_as, new_order):
    login_as("finance")
    no = new_order()
    assert _post_photo(client, no, plain_jpeg()).status_code == 403
