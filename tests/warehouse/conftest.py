"""Warehouse test helpers: orders in a region, QR pictures, JPEGs with EXIF, signed label URLs."""
import io

import pytest
import qrcode
from PIL import Image

from tests.factories import make_order
from webapp.extensions import db
from webapp.warehouse import qr

EAST = "浙江省杭州市西湖区文三路 90 号"
NORTH = "北京市朝阳区建国路 1 号"


@pytest.fixture
def new_order(app):
    """Create a committed order (confirmed, in region east by default); return its order number."""
    def _make(status="confirmed", address=EAST, **data):
        with app.app_context():
            return make_order(status=status, address=address, **data).order_no
    return _make


@pytest.fixture
def label(app):
    """Return the signed label URL of an order number, as its QR encodes it."""
    def _label(order_no, host="http://orderhub.test"):
        return f"{host}/o/{order_no}?s={qr.sign(order_no, app.config['SECRET_KEY'])}"
    return _label


@pytest.fixture
def in_db(app):
    """Run fn() inside an app context with a fresh session and return its result."""
    def _run(fn):
        with app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()
    return _run


def qr_picture(text: str, size=(1200, 900), fmt="JPEG") -> bytes:
    """Return a photo-like picture (grey background) with a QR code of text in the middle."""
    code = qrcode.make(text, box_size=10, border=4).convert("RGB")
    canvas = Image.new("RGB", size, (200, 200, 190))
    canvas.paste(code, ((size[0] - code.width) // 2, (size[1] - code.height) // 2))
    out = io.BytesIO()
    canvas.save(out, fmt)
    return out.getvalue()


def plain_jpeg(size=(800, 600), color=(120, 130, 140), exif=None) -> bytes:
    """Return a JPEG without any barcode, optionally carrying EXIF."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def upload(data: bytes, name="photo.jpg"):
    """Return a multipart file tuple for the test client."""
    return (io.BytesIO(data), name)
