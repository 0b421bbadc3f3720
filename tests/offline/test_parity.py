"""Offline pack parity on the server side: a queued label scan is refused by name when the photo shows another
order's label, another region's label says so, the copy masks phones, the offline page shares the pack classes."""
import io

import pytest
from sqlalchemy import func, select

from tests.factories import label_photo, make_order
from webapp.access.models import RolePermission
from webapp.extensions import db
from webapp.warehouse import qr
from webapp.warehouse.models import Scan

JSON = {"Accept": "application/json"}


def _label(app, order_no):
    return f"http://orderhub.test/o/{order_no}?s={qr.sign(order_no, app.config['SECRET_KEY'])}"


def _orders(app, *specs):
    with app.app_context():
        return [make_order(**spec).order_no for spec in specs]


def _scans(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Scan))


def _scan_for(client, app, order_no, label_of):
    photo = {"photo": (io.BytesIO(label_photo(_label(app, label_of))), "label.jpg")}
    return client.post(f"/offline/orders/{order_no}/scan", data=photo, headers=JSON,
                       content_type="multipart/form-data")


def test_offline_scan_of_another_orders_label_is_refused_by_name(app, client, login_as):
    mine, other = _orders(app, {"status": "in_production"}, {"status": "in_production"})
    login_as("warehouse", regions=["east"])
    resp = _scan_for(client, app, mine, other)
    assert resp.status_code == 409
    body = resp.get_json()
    assert body["error"] == "wrong_order"
    assert "扫描的是另一张单的二维码" in body["message"] and other in body["message"] and mine in body["message"]
    assert "缺少" not in body["message"]
    assert _scans(app) == 0  # the other order's label is not recorded as scanned either


def test_offline_scan_of_the_orders_own_label_records_the_scan(app, client, login_as):
    mine, = _orders(app, {"status": "in_production"})
    login_as("warehouse", regions=["east"])
    resp = _scan_for(client, app, mine, mine)
    assert resp.status_code == 201 and resp.get_json()["order_no"] == mine
    assert _scans(app) == 1


def test_offline_scan_of_an_unreadable_photo_names_the_reason(app, client, login_as):
    mine, = _orders(app, {"status": "in_production"})
    login_as("warehouse", regions=["east"])
    resp = client.post(f"/offline/orders/{mine}/scan", data={"photo": (io.BytesIO(label_photo()), "x.jpg")},
                       headers=JSON, content_type="multipart/form-data")
    assert resp.status_code == 422 and resp.get_json()["error"] == "unreadable"


def test_outbound_replay_without_the_scan_still_says_what_is_missing(app, client, login_as):
    mine, = _orders(app, {"status": "in_production"})
    login_as("warehouse", regions=["east"])
    resp = client.post(f"/pack/{mine}/outbound", headers=JSON)
    assert resp.status_code == 422 and resp.get_json()["message"]


NORTH = "北京市朝阳区建国路 1 号"


@pytest.mark.parametrize("how", ["camera", "photo", "label_url"])
def test_a_label_of_another_region_says_it_belongs_to_another_region(app, client, login_as, how):
    north, = _orders(app, {"status": "confirmed", "address": NORTH, "customer_name": "欧阳北京"})
    login_as("warehouse", regions=["east"])
    label = _label(app, north)
    if how == "camera":
        resp = client.post("/scan", data={"code": label, "via": "camera"}, headers=JSON)
    elif how == "photo":
        resp = client.post("/scan", data={"photo": (io.BytesIO(label_photo(label)), "l.jpg")}, headers=JSON,
                           content_type="multipart/form-data")
    else:
        resp = client.get(f"/o/{north}?s={qr.sign(north, app.config['SECRET_KEY'])}", headers=JSON)
    assert resp.status_code == 404  # still not shown, but named
    body = resp.get_json()
    assert body["error"] == "other_region" and "此单属于其他区域" in body["message"]
    assert "欧阳" not in resp.get_data(as_text=True) and "朝阳" not in resp.get_data(as_text=True)
    assert _scans(app) == 0


def test_another_regions_label_page_in_english(app, client, login_as):
    north, = _orders(app, {"status": "confirmed", "address": NORTH})
    login_as("warehouse", regions=["east"])
    client.post("/lang", data={"lang": "en"})
    resp = client.post("/scan", data={"code": _label(app, north), "via": "camera"})
    assert resp.status_code == 404
    assert "belongs to another region" in resp.get_data(as_text=True)


def test_a_typed_number_of_another_region_still_does_not_exist(app, client, login_as):
    north, = _orders(app, {"status": "confirmed", "address": NORTH})
    login_as("warehouse", regions=["east"])
    resp = client.post("/scan", data={"code": north}, headers=JSON)
    assert resp.status_code == 404 and resp.get_json()["error"] == "not_found"


def _hide_phone(app, role):
    with app.app_context():
        db.session.add(RolePermission(role_code=role, field="customer_phone", level="hidden"))
        db.session.commit()


@pytest.mark.parametrize("role", ["admin", "manager", "sales", "warehouse", "finance", "support"])
@pytest.mark.parametrize("phone_readable", [True, False])
def test_copy_masks_the_phone_for_roles_that_may_read_it_and_holds_nothing_of_it_for_others(
        app, client, login_as, role, phone_readable):
    if not phone_readable:
        _hide_phone(app, role)
    user = login_as(role, regions=["east"] if role == "warehouse" else None)
    _orders(app, {"status": "confirmed", "phone": "+8613911112222",
                  "salesperson": user if role == "sales" else None})
    copy = client.get("/offline/copy.json").get_json()
    order, = copy["orders"]
    assert order.get("phone_masked") == ("139****2222" if phone_readable else None)
    text = str(copy)
    assert ("13911112222" in text) is phone_readable and ("2222" in text) is phone_readable
    assert ("customer_phone" in order) is phone_readable


def test_offline_order_page_uses_the_pack_screens_big_buttons(client):
    html = client.get("/offline/order").get_data(as_text=True)
    assert "css/warehouse" in html
    for name in ("scan_photo", "photo"):
        start = html.index(f'name="{name}"')
        label = html[html.rindex("<label", 0, start):start]
        assert 'class="btn btn-big btn-secondary file-btn"' in label, name
    assert 'class="btn btn-huge btn-success"' in html
    assert "data-synced" in html and "data-rejected" in html


def test_route_map_names_the_offline_label_scan(client):
    html = client.get("/offline/order").get_data(as_text=True)
    assert "/offline/orders/{no}/scan" in html
