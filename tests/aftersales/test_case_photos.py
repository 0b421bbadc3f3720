"""Photos on after-sales cases: attached when opening and later, checked and re-encoded by the warehouse's photo
code, served only behind the permission check, thumbnails on the case page linking to the full picture."""
import io
import re

import pytest
from sqlalchemy import select

from tests.factories import label_photo, make_order, make_product
from webapp.aftersales.models import AftersalesCase, CasePhoto
from webapp.audit.models import AuditEntry
from webapp.extensions import db


@pytest.fixture
def order(app):
    with app.app_context():
        make_product("CUP-500", "129.00", "52.30", "保温杯 500ml")
        o = make_order(status="completed")
        return o.order_no, o.lines[0].id


def _open_with_photo(client, order_no, line_id, photo=None):
    return client.post(f"/orders/{order_no}/aftersales", content_type="multipart/form-data",
                       headers={"Accept-Language": "en"}, data={
        "kind": "damaged", f"line-{line_id}": "1", "words": "杯子碎了",
        "photo": [(io.BytesIO(photo or label_photo()), "broken.jpg")]})


def test_a_photo_taken_when_opening_shows_as_a_thumbnail_that_enlarges(app, client, login_as, order):
    login_as("support")
    resp = _open_with_photo(client, *order)
    assert resp.status_code == 303
    case_id = int(re.search(r"/aftersales/(\d+)", resp.headers["Location"]).group(1))
    page = client.get(f"/aftersales/{case_id}").get_data(as_text=True)
    with app.app_context():
        photo = db.session.scalar(select(CasePhoto))
        assert photo.case_id == case_id and photo.width == 900
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "case_photo")) == "case_photo"
    full = f"/aftersales/{case_id}/photos/{photo.id}"
    assert f'href="{full}"' in page and f'src="{full}?size=thumb"' in page
    thumb = client.get(f"{full}?size=thumb")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg" and thumb.data[:2] == b"\xff\xd8"
    assert len(client.get(full).data) > len(thumb.data)
    panel = client.get(f"/orders/{order[0]}/aftersales-panel", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'src="{full}?size=thumb"' in panel  # the order page's after-sales panel shows the case's first photo


def test_a_photo_added_later_and_who_may_see_it(app, client, login_as, order, make_user):
    login_as("manager")
    client.post(f"/orders/{order[0]}/aftersales", data={"kind": "return", f"line-{order[1]}": "1"})
    with app.app_context():
        case_id = db.session.scalar(select(AftersalesCase.id))
    resp = client.post(f"/aftersales/{case_id}/photos", content_type="multipart/form-data",
                       data={"photo": [(io.BytesIO(label_photo()), "a.jpg"), (io.BytesIO(label_photo()), "b.jpg")]})
    assert resp.status_code == 303
    with app.app_context():
        photo_id = db.session.scalar(select(CasePhoto.id))
        assert len(db.session.get(AftersalesCase, case_id).photos) == 2
    login_as("warehouse")  # no after-sales in the matrix: no case photos either
    assert client.get(f"/aftersales/{case_id}/photos/{photo_id}").status_code == 403
    seller = make_user("sales")
    client.post("/login", data={"username": seller.username, "password": "correct-horse-1"})
    assert client.get(f"/aftersales/{case_id}/photos/{photo_id}").status_code == 404  # not their order


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_opened(app, client, login_as, order):
    login_as("support")
    resp = _open_with_photo(client, *order, photo=b"%PDF-1.4 not a picture")
    assert resp.status_code == 422 and "not a picture" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AftersalesCase.id)) is None
        assert db.session.scalar(select(CasePhoto.id)) is None
