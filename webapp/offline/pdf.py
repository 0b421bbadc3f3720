"""Draw printable offline order forms (one A4 page each, with the reserved number's QR) as a PDF."""
import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

FONT = "STSong-Light"  # a CID font every PDF viewer has for Chinese: nothing to embed or ship
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
FIELDS = ("日期时间 Date / time", "客户姓名 Customer name", "手机号 Phone", "地址 Address", "",
          "渠道 Channel", "经办人 Taken by")
ITEM_ROWS = 8


def forms_pdf(forms: list[dict], title: str = "订单中枢 OrderHub · 离线纸质订单 Offline order form") -> bytes:
    """Return a PDF with one form per dict (order_no, url, qr_png, batch, reserved_at)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    for form in forms:
        _page(canvas, form, title)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _page(c: Canvas, form: dict, title: str) -> None:
    width, height = A4
    left, top = 18 * mm, height - 18 * mm
    c.setFont(FONT, 13)
    c.drawString(left, top, title)
    c.setFont(FONT, 26)
    c.drawString(left, top - 16 * mm, form["order_no"])
    c.drawImage(ImageReader(io.BytesIO(form["qr_png"])), width - 62 * mm, top - 46 * mm, 44 * mm, 44 * mm)
    c.setFont(FONT, 9)
    y = top - 25 * mm
    for line in ("本单号已预留，只能使用一次。系统恢复后，用手机扫描右侧二维码录入本单。",
                 "This number is reserved and can be used once. After recovery, scan the QR to enter this order."):
        c.drawString(left, y, line)
        y -= 5 * mm
    y = _lines(c, left, y - 8 * mm, width - 2 * left)
    y = _items(c, left, y - 4 * mm, width - 2 * left)
    c.setFont(FONT, 8)
    c.drawString(left, 12 * mm, f"批次 Batch {form['batch']} · 预留于 Reserved {form['reserved_at']} · {form['url']}")


def _lines(c: Canvas, left: float, y: float, width: float) -> float:
    c.setFont(FONT, 11)
    for label in FIELDS:
        c.drawString(left, y, label)
        c.line(left + 45 * mm, y - 1.5 * mm, left + width, y - 1.5 * mm)
        y -= 11 * mm
    return y


def _items(c: Canvas, left: float, y: float, width: float) -> float:
    cols = (("SKU", 0), ("商品 Item", 35 * mm), ("单价 Unit price", 110 * mm), ("数量 Qty", 145 * mm))
    c.setFont(FONT, 10)
    for label, dx in cols:
        c.drawString(left + dx + 1.5 * mm, y, label)
    row = 9 * mm
    top = y + 5 * mm
    for i in range(ITEM_ROWS + 2):
        c.line(left, top - i * row, left + width, top - i * row)
    bottom = top - (ITEM_ROWS + 1) * row
    for _label, dx in cols + (("", width),):
        c.line(left + dx, top, left + dx, bottom)
    y = bottom - 10 * mm
    c.setFont(FONT, 11)
    for label in ("优惠 Discount", "运费 Shipping", "备注 Notes", "客户签字 Customer signature"):
        c.drawString(left, y, label)
        c.line(left + 45 * mm, y - 1.5 * mm, left + width, y - 1.5 * mm)
        y -= 11 * mm
    return y
