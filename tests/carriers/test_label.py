"""The courier label: a 100 × 150 mm PDF whose Code128 reads back as the waybill number and QR as our order link."""
import pytest
import zxingcpp

from tests.carriers.pdf_raster import media_box, page_streams, rasterize
from tests.factories import make_order
from tests.notify.helpers import drain, step
from webapp.carriers.waybills import label
from webapp.carriers.waybills.adapters import Party
from webapp.extensions import db
from webapp.orders.models import Order

MM = 72 / 25.4


def _read(pdf: bytes) -> dict:
    """Decode every barcode on the rendered page: {format name: text}."""
    return {str(r.format): r.text for r in zxingcpp.read_barcodes(rasterize(pdf))}


@pytest.mark.parametrize("number", ["SF1400000000000", "YT7319458826017", "JDVA01234567890-1-1-", "75312345678901"])
def test_label_barcode_decodes_to_the_waybill_number(app, number):
    with app.test_request_context():
        pdf = label.render({"carrier": "顺丰", "waybill_no": number, "order_no": "SO20261201-0001",
                            "qr_url": "https://shop.example.cn/o/SO20261201-0001?s=abc",
                            "recipient": Party("张三华", "138****8000", "浙江省杭州市西湖区文三路 90 号"),
                            "sender": Party("杭州小店", "0571-88886666", "浙江省杭州市西湖区"),
                            "items": [("保温杯 500ml", 2)]})
    assert pdf.startswith(b"%PDF")
    width, height = media_box(pdf)
    assert (round(width / MM), round(height / MM)) == (100, 150)
    codes = _read(pdf)
    assert codes.get("Code 128") == number
    assert "https://shop.example.cn/o/SO20261201-0001?s=abc" in codes.values()


def test_label_prints_both_parties_in_chinese(app):
    with app.test_request_context():
        pdf = label.render({"carrier": "圆通", "waybill_no": "YT7319458826017", "order_no": "SO20261201-0002",
                            "qr_url": "https://x.cn/o/1", "recipient": Party("李四", "139****0000", "北京市海淀区"),
                            "sender": Party("杭州小店", "0571", "杭州"), "items": []})
    text = b"".join(page_streams(pdf))
    assert b"STSong-Light" in pdf and b"BT" in text  # the CID font carries the Chinese text


@pytest.fixture
def issued(app, carriers_api):
    """An outbound order whose 顺丰 waybill was issued by the fake: (order_no, waybill number)."""
    app.config["WAYBILL_CARRIER"] = "sf"
    with app.app_context():
        oid = make_order().id
        for state in ("confirmed", "in_production", "outbound"):
            step(oid, state)
        drain()
        order = db.session.get(Order, oid)
        return order.order_no, order.tracking_no


@pytest.mark.parametrize("role, status", [("warehouse", 200), ("manager", 200), ("admin", 200)])
def test_label_pdf_route_serves_the_issued_waybill(app, client, login_as, issued, role, status):
    no, number = issued
    login_as(role, regions=["east"])
    resp = client.get(f"/carriers/waybills/{no}/label.pdf")
    assert resp.status_code == status and resp.mimetype == "application/pdf"
    assert resp.headers["Cache-Control"] == "private, no-store"
    codes = _read(resp.data)
    assert number in codes.values() and any(f"/o/{no}?s=" in text for text in codes.values())


def test_no_label_before_a_waybill_exists(app, client, login_as):
    with app.app_context():
        no = make_order().order_no
    login_as("warehouse", regions=["east"])
    assert client.get(f"/carriers/waybills/{no}/label.pdf").status_code == 404
