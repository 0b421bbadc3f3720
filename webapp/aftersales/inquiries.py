"""The inquiry log: support records a customer's call or message against an order (reason, note)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.access.policy import policy_for
from webapp.aftersales.models import Inquiry
from webapp.audit.services import record
from webapp.extensions import db
from webapp.orders import services as orders
from webapp.orders.errors import Forbidden, Invalid
from webapp.vocab import INQUIRY_REASONS


def log_inquiry(order_no: str, reason: str, note: str, *, actor, via: str) -> Inquiry:
    """Record one inquiry on an order the actor may see (NotFound otherwise) and audit it."""
    if not policy_for(actor).can("inquiries"):
        raise Forbidden(_l("Your role may not record customer inquiries."))
    order = orders.load(order_no, actor)
    if reason not in INQUIRY_REASONS:
        raise Invalid({"reason": _l("Choose why the customer got in touch.")})
    entry = Inquiry(order_id=order.id, reason=reason, note=(note or "").strip()[:500], actor_id=getattr(actor, "id", None))
    db.session.add(entry)
    db.session.flush()
    record("inquiry", actor=actor, via=via, order_no=order.order_no, new=reason, detail=entry.note)
    return entry


def inquiries_of(order_id: int, limit: int = 20) -> list[Inquiry]:
    """Return an order's latest inquiries, newest first (with who recorded them, one query)."""
    return list(db.session.scalars(select(Inquiry).where(Inquiry.order_id == order_id)
                                   .order_by(Inquiry.id.desc()).limit(limit)))
