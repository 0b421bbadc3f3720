"""Build test data through the same services the app uses."""
import io
import itertools
from decimal import Decimal

import qrcode
from PIL import Image

from webapp.auth import services as auth
from webapp.extensions import db
from webapp.orders import services as orders

_seq = itertools.count(1)


def make_user(role: str, username: str | None = None, regions=None, password: str = "correct-horse-1"):
    """Create and commit a user of `role` (warehouse users default to region east)."""
    if regions is None:
        regions = ["east"] if role == "warehouse" else []
    user = auth.create_user(username or f"{role}{next(_seq)}", role, password, regions)
    db.session.commit()
    db.session.refresh(user)
    return user


def make_product(sku: str | None = None, price="100.00", cost="40.00", name=None):
    """Create and commit a product."""
    sku = sku or f"SKU-{next(_seq)}"
    product = orders.create_product(sku, name or f"商品 {sku}", price, cost)
    db.session.commit()
    return product


def make_order(salesperson=None, status="pending_payment", address="浙江省杭州市西湖区文三路 90 号",
               phone="+8613800138000", lines=None, at=None, **data):
    """Create and commit an order (through the orders service, as the system)."""
    lines = lines or [{"sku": "CUP-500", "name": "保温杯 500ml", "unit_price": Decimal("129.00"),
                       "quantity": 2, "unit_cost": Decimal("52.30")}]
    fields = {"customer_name": "张三华", "customer_phone": phone, "address": address,
              "salesperson_id": getattr(salesperson, "id", None)} | data
    order = orders.create_order(fields, lines, actor=None, via="system", status=status, at=at)
    db.session.commit()
    return order


def label_photo(qr_text: str | None = None) -> bytes:
    """Return a JPEG 'photo' of a parcel, with a QR of qr_text in the middle when given."""
    canvas = Image.new("RGB", (900, 700), (200, 200, 190))
    if qr_text:
        code = qrcode.make(qr_text, box_size=10, border=4).convert("RGB")
        canvas.paste(code, ((900 - code.width) // 2, (700 - code.height) // 2))
    out = io.BytesIO()
    canvas.save(out, "JPEG")
    return out.getvalue()
