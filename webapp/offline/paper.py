"""Paper fallback: reserve order numbers for printed forms (taken from the day's sequence, so never
handed out again), sign them into QR codes and draw the forms as a PDF."""
import base64
import hashlib
import hmac
import io
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import qrcode
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from webapp.audit import services as audit
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.offline.models import ReservedNumber
from webapp.orders.numbering import next_order_no

MAX_FORMS = 50
SIG_LEN = 22


def sign(order_no: str) -> str:
    """Return the signature a paper form's QR carries for its reserved number."""
    secret = current_app.config["SECRET_KEY"].encode()
    mac = hmac.new(secret, b"orderhub-paper:" + order_no.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode()[:SIG_LEN]


def signature_ok(order_no: str, sig: str | None) -> bool:
    """Say whether `sig` is the paper signature of this number."""
    return bool(sig) and hmac.compare_digest(sign(order_no), str(sig))


def reserve(count: int, *, actor, now: datetime | None = None) -> tuple[str, list[str]]:
    """Reserve `count` order numbers for one printed batch; return (batch id, numbers)."""
    count = max(1, min(int(count), MAX_FORMS))
    now = now or utcnow()
    batch = now.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)
    numbers = [next_order_no(now, current_app.config["ORDERHUB_TZ"]) for _ in range(count)]
    for number in numbers:
        db.session.add(ReservedNumber(order_no=number, batch=batch, reserved_by=getattr(actor, "id", None),
                                      reserved_at=now))
    audit.record("paper_reserved", actor=actor, via="web", detail=f"{batch}: {numbers[0]}…{numbers[-1]} ({count})")
    db.session.flush()
    return batch, numbers


def batch_numbers(batch: str) -> list[ReservedNumber]:
    """Return the reserved numbers of a batch in order."""
    return list(db.session.scalars(select(ReservedNumber).where(ReservedNumber.batch == batch)
                                   .order_by(ReservedNumber.order_no)))


def claim(order_no: str, now=None) -> bool:
    """Mark a reserved number used; False when it was used already (one conditional UPDATE: exactly once)."""
    done = db.session.execute(update(ReservedNumber).where(
        ReservedNumber.order_no == order_no, ReservedNumber.used_at.is_(None)).values(used_at=now or utcnow()))
    return done.rowcount == 1


def enter(order_no: str, raw: dict, items: list[dict], *, actor, via: str = "web"):
    """Create the paper order under its reserved number, exactly once (the caller commits)."""
    from webapp.orders import services
    from webapp.orders.errors import Conflict
    if not claim(order_no):
        raise Conflict(_l("Paper order %(no)s was entered already.", no=order_no), order_no=order_no)
    order = services.submit_order(raw | {"channel": "offline_form"}, items, actor=actor, via=via,
                                  order_no=order_no)
    db.session.execute(update(ReservedNumber).where(ReservedNumber.order_no == order_no)
                       .values(order_id=order.id))
    return order


def outstanding(limit: int = 200) -> list[ReservedNumber]:
    """Return reserved numbers not entered yet, oldest first (for the recovery checklist)."""
    return list(db.session.scalars(select(ReservedNumber).where(ReservedNumber.used_at.is_(None))
                                   .order_by(ReservedNumber.reserved_at, ReservedNumber.order_no).limit(limit)))


def qr_png(text: str) -> bytes:
    """Return a QR code of `text` as PNG bytes."""
    image = qrcode.make(text, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def local_time(value: datetime) -> str:
    """Format a UTC time in ORDERHUB_TZ for the printed form."""
    return value.astimezone(ZoneInfo(current_app.config["ORDERHUB_TZ"])).strftime("%Y-%m-%d %H:%M")
