"""The 100 × 150 mm courier label as a PDF: carrier, waybill number as a Code128 barcode, our QR, both parties.

Drawn with reportlab; its built-in STSong-Light CID font prints Chinese without shipping a font file.
Bars are sized so the barcode fits the label at a printable module width (≥ 0.25 mm at 203 dpi).
"""
from io import BytesIO

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = 100 * mm, 150 * mm
MARGIN = 4 * mm
FONT = "STSong-Light"
BAR_HEIGHT = 22 * mm


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def barcode(number: str) -> Code128:
    """Return the waybill number's Code128, its bars as wide as fit the label (at most 0.5 mm)."""
    code = Code128(number, barWidth=0.5 * mm, barHeight=BAR_HEIGHT, quiet=1, lquiet=4 * mm, rquiet=4 * mm)
    room = WIDTH - 2 * MARGIN
    if code.width > room:
        code = Code128(number, barWidth=0.5 * mm * room / code.width, barHeight=BAR_HEIGHT, quiet=1,
                       lquiet=3 * mm, rquiet=3 * mm)
    return code


def _qr(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _lines(c, x: float, y: float, text: str, size: float, width: float, leading: float | None = None) -> float:
    """Write text wrapped to width from (x, y) downwards; return the y below it."""
    leading = leading or size * 1.3
    line = ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, FONT, size) > width:
            c.drawString(x, y, line)
            y, line = y - leading, ""
        line += char
    if line:
        c.drawString(x, y, line)
        y -= leading
    return y


def _party(c, y: float, tag: str, name: str, phone: str, address: str, size: float) -> float:
    c.setFont(FONT, size + 4)
    c.drawString(MARGIN, y - size - 2, tag)
    c.setFont(FONT, size)
    x, width = MARGIN + 9 * mm, WIDTH - 2 * MARGIN - 9 * mm
    y = _lines(c, x, y - size, f"{name}  {phone}".strip(), size, width)
    y = _lines(c, x, y, address, size - 1, width)
    c.line(MARGIN, y, WIDTH - MARGIN, y)
    return y - 2 * mm


def render(label: dict) -> bytes:
    """Return the label PDF for a dict of carrier, waybill_no, order_no, qr_url, recipient, sender, items."""
    out = BytesIO()
    c = canvas.Canvas(out, pagesize=(WIDTH, HEIGHT), pageCompression=1)
    c.setTitle(f"{label['carrier']} {label['waybill_no']}")
    font = _font()
    y = HEIGHT - MARGIN
    c.setFont(font, 16)
    c.drawString(MARGIN, y - 14, label["carrier"])
    c.setFont("Helvetica-Bold", 12)
    c.drawRightString(WIDTH - MARGIN, y - 13, label["waybill_no"])
    y -= 20
    code = barcode(label["waybill_no"])
    code.drawOn(c, (WIDTH - code.width) / 2, y - BAR_HEIGHT)
    y -= BAR_HEIGHT + 5 * mm
    c.setFont("Helvetica", 10)
    c.drawCentredString(WIDTH / 2, y + 1.5 * mm, " ".join(label["waybill_no"][i:i + 4]
                                                         for i in range(0, len(label["waybill_no"]), 4)))
    c.line(MARGIN, y, WIDTH - MARGIN, y)
    y -= 1 * mm
    recipient, sender = label["recipient"], label["sender"]
    y = _party(c, y, "收", recipient.name, recipient.phone, recipient.address, 11)
    y = _party(c, y, "寄", sender.name, sender.phone, sender.address, 9)
    qr_size = 30 * mm
    renderPDF.draw(_qr(label["qr_url"], qr_size), c, WIDTH - MARGIN - qr_size, MARGIN)
    c.setFont(font, 10)
    c.drawString(MARGIN, MARGIN + qr_size - 10, label["order_no"])
    c.setFont(font, 8)
    items = "、".join(f"{name}×{qty}" for name, qty in label["items"])
    _lines(c, MARGIN, MARGIN + qr_size - 24, items, 8, WIDTH - 3 * MARGIN - qr_size)
    c.showPage()
    c.save()
    return out.getvalue()
