"""Pack screen, outbound with evidence (scan + photo, or a typed reason), the race, hand-over."""
import io
import threading

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from tests.warehouse.conftest import plain_jpeg, qr_picture, upload
from webapp.access.models import RolePermission
from webapp.extensions import db
from webapp.orders.models import Order, OrderTransition
from webapp.warehouse.models import Scan


def _photo(client, no):
    resp = client.post(f"/orders/{no}/photos", data={"photo": upload(plain_jpeg())},
                       headers={"Accept": "application/json"})
    assert resp.status_code == 201
    return resp.get_json()


def _scan(client, no, label):
    assert client.post("/scan", data={"photo": upload(qr_picture(label(no)))}).status_code == 303


def _order(in_db, no):
    return in_db(lambda: db.session.scalars(select(Order).where(Order.order_no == no)).one())


def test_pack_screen_shows_what_to_pick_and_the_call_button_but_no_amounts(client, login_as, new_order):
    login_as("warehouse")
    no = new_order(notes="易碎, 轻放")
    page = client.get(f"/pack/{no}").get_data(as_text=True)
    assert "保温杯 500ml" in page and "× 2" in page and "张三华" in page and "文三路" in page
    assert 'href="tel:+8613800138000"' in page
    assert "易碎, 轻放" in page
    assert "¥" not in page and "129.00" not in page and "52.30" not in page
    assert "确认出库" in page and "disabled" in page.split('data-testid="outbound"')[1].split(">")[0]


def test_call_button_is_absent_when_the_matrix_hides_the_phone(app, client, login_as, new_order):
    with app.app_context():
        db.session.add(RolePermission(role_code="warehouse", field="customer_phone", level="hidden"))
        db.session.commit()
    login_as("warehouse")
    no = new_order()
    page = client.get(f"/pack/{no}").get_data(as_text=True)
    assert "tel:" not in page and "13800138000" not in page


def test_outbound_is_refused_without_scan_and_photo(client, login_as, new_order, in_db):
    login_as("warehouse")
    no = new_order(status="in_production")
    resp = client.post(f"/pack/{no}/outbound")
    assert resp.status_code == 422
    assert "缺少凭证" in resp.get_data(as_text=True)
    assert _order(in_db, no).status == "in_production"


def test_photo_alone_is_not_enough(client, login_as, new_order, in_db):
    login_as("warehouse")
    no = new_order(status="in_production")
    assert _photo(client, no)["ready"] is False
    assert client.post(f"/pack/{no}/outbound").status_code == 422
    assert _order(in_db, no).status == "in_production"


def test_scan_and_photo_make_the_order_outbound(client, login_as, new_order, label, in_db):
    login_as("warehouse", username="liqiang")
    no = new_order()
    _scan(client, no, label)
    assert _photo(client, no)["ready"] is True
    page = client.get(f"/pack/{no}").get_data(as_text=True)
    assert "disabled" not in page.split('data-testid="outbound"')[1].split(">")[0]
    resp = client.post(f"/pack/{no}/outbound")
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/pack/{no}/done")
    order = _order(in_db, no)
    assert order.status == "outbound" and order.outbound_at is not None
    steps = in_db(lambda: db.session.scalars(select(OrderTransition.to_state).where(
        OrderTransition.order_id == order.id).order_by(OrderTransition.id)).all())
    assert steps == ["confirmed", "in_production", "outbound"]  # no step skipped
    done = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已出库" in done and "扫下一单" in done and "交给快递" in done


def test_typed_number_needs_a_written_reason_which_is_kept_as_evidence(client, login_as, new_order, in_db):
    login_as("warehouse")
    no = new_order()
    client.post("/scan", data={"code": no})
    _photo(client, no)
    page = client.get(f"/pack/{no}").get_data(as_text=True)
    assert 'name="reason"' in page
    assert client.post(f"/pack/{no}/outbound", data={"reason": "  "}).status_code == 422
    resp = client.post(f"/pack/{no}/outbound", data={"reason": "标签被撕坏了"})
    assert resp.status_code == 303
    assert in_db(lambda: [(s.method, s.reason) for s in db.session.scalars(select(Scan))]) == \
        [("typed", "标签被撕坏了")]
    assert _order(in_db, no).status == "outbound"


def test_two_workers_marking_the_same_order_one_wins_the_other_is_told_who(app, login_as, new_order, label, in_db):
    a, b = app.test_client(), app.test_client()
    login_as("warehouse", username="liqiang", c=a)
    login_as("warehouse", username="wanggang", c=b)
    no = new_order()
    _scan(a, no, label)
    _photo(a, no)
    barrier, results = threading.Barrier(2), {}

    def mark(name, c):
        barrier.wait()
        resp = c.post(f"/pack/{no}/outbound")
        results[name] = (resp.status_code, resp.get_data(as_text=True))

    threads = [threading.Thread(target=mark, args=(n, c)) for n, c in (("a", a), ("b", b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(code for code, _ in results.values())
    assert codes == [303, 409], codes
    loser = next(body for code, body in results.values() if code == 409)
    winner = next(n for n, (code, _) in results.items() if code == 303)
    assert f"已由 {'liqiang' if winner == 'a' else 'wanggang'} 于" in loser and "出库" in loser
    order = _order(in_db, no)
    assert order.status == "outbound"
    assert in_db(lambda: len(db.session.scalars(select(OrderTransition).where(
        OrderTransition.order_id == order.id, OrderTransition.to_state == "outbound")).all())) == 1


def test_hand_over_to_the_courier_puts_the_order_in_transit(client, login_as, new_order, in_db):
    login_as("warehouse")
    no = new_order(status="outbound")
    page = client.get(f"/pack/{no}/handover").get_data(as_text=True)
    assert all(c in page for c in ("顺丰", "中通", "圆通", "韵达", "申通", "京东", "EMS"))
    resp = client.post(f"/pack/{no}/handover", data={"carrier": "顺丰", "tracking_no": "sf1234567890"})
    assert resp.status_code == 303
    order = _order(in_db, no)
    assert (order.status, order.carrier, order.tracking_no) == ("in_transit", "顺丰", "SF1234567890")


@pytest.mark.parametrize("data, field", [({"tracking_no": "SF1234567890"}, "carrier"),
                                         ({"carrier": "顺丰", "tracking_no": "12"}, "tracking_no")])
def test_hand_over_needs_carrier_and_tracking_number(client, login_as, new_order, in_db, data, field):
    login_as("warehouse")
    no = new_order(status="outbound")
    resp = client.post(f"/pack/{no}/handover", data=data)
    assert resp.status_code == 422
    assert _order(in_db, no).status == "outbound"


def test_courier_barcode_photo_fills_in_the_tracking_number(client, login_as, new_order):
    login_as("warehouse")
    no = new_order(status="outbound")
    img = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode("YT7788990011", zxingcpp.BarcodeFormat.Code128),
                                          scale=3)
    height, width = memoryview(img).shape
    pic = Image.frombytes("L", (width, height), bytes(memoryview(img)))
    out = io.BytesIO()
    canvas = Image.new("L", (pic.width + 200, pic.height + 200), 255)
    canvas.paste(pic, (100, 100))
    canvas.save(out, "PNG")
    resp = client.post(f"/pack/{no}/handover", data={"carrier": "圆通", "photo": upload(out.getvalue(), "b.png")})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'value="YT7788990011"' in page


def test_outbound_order_pack_screen_offers_the_hand_over(client, login_as, new_order):
    login_as("warehouse")
    no = new_order(status="outbound")
    page = client.get(f"/pack/{no}").get_data(as_text=True)
    assert "交给快递" in page and 'data-testid="outbound"' not in page


def test_note_from_the_pack_screen_is_appended_through_the_write_service(client, login_as, new_order, in_db):
    login_as("warehouse")
    no = new_order(notes="易碎")
    resp = client.post(f"/pack/{no}/note", data={"note": "客户要求下午送"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/pack/{no}")
    assert _order(in_db, no).notes == "易碎\n客户要求下午送"
    assert client.post(f"/pack/{no}/note", data={"note": "  "}).status_code == 422
