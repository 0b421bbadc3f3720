"""Order QR labels: signed URLs (…/o/<order_no>?s=<sig>), checking them, and drawing them as SVG."""
import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import qrcode
import qrcode.image.svg

SIG_LEN = 22  # 132 bits of an HMAC-SHA256, url-safe base64
ORDER_NO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,19}$")


def sign(order_no: str, secret: str) -> str:
    """Return the short signature of an order number under the app's secret key."""
    mac = hmac.new(secret.encode(), b"orderhub-label:" + order_no.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode()[:SIG_LEN]


def valid(order_no: str, sig: str | None, secret: str) -> bool:
    """Say whether sig is this order's label signature."""
    return bool(sig) and hmac.compare_digest(sign(order_no, secret), str(sig))


@dataclass(frozen=True)
class Code:
    """What a scanned or typed code says: an order number, and the label signature if it had one."""

    order_no: str | None
    sig: str | None = None
    is_label: bool = False  # it had the shape of one of our label URLs


def parse(text: str) -> Code:
    """Read a scanned/typed code: a label URL (any host), a bare order number, or nothing of ours."""
    text = (text or "").strip()
    if "/o/" in text:
        parts = urlsplit(text)
        path = parts.path.rstrip("/")
        head, _, no = path.rpartition("/o/")
        sig = parse_qs(parts.query).get("s", [None])[0]
        if ORDER_NO.match(no) and "/" not in head.strip("/"):
            return Code(no.upper(), sig, True)
        return Code(None, None, True)
    candidate = text.upper().replace(" ", "")
    return Code(candidate) if ORDER_NO.match(candidate) else Code(None)


def svg(data: str, box: int = 10) -> str:
    """Draw data as an inline SVG QR code (medium error correction, survives creases and dirt)."""
    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=box, border=2,
                      error_correction=qrcode.constants.ERROR_CORRECT_M)
    text = img.to_string(encoding="unicode")
    return re.sub(r"^<\?xml[^>]*>\s*", "", text)
