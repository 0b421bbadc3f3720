"""Notes on an order as appended entries (author, time, text): adding one never replaces anybody's.

The order's `notes` field (contract name) keeps the entries' texts joined by new lines, written through
the write service (version-checked, audited), so the API and exports read what they always read.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders import services
from webapp.orders.errors import Invalid
from webapp.orders.models import OrderNote

MAX_CHARS = 1000


def add(order_no: str, text: str, *, actor, via: str = "web"):
    """Append one note entry by the actor and the line to `notes`; refused like any write of `notes`."""
    order = services.load(order_no, actor)
    text = " ".join((text or "").split())
    if not text:
        raise Invalid({"note": _l("Write the note first.")})
    if len(text) > MAX_CHARS:
        raise Invalid({"note": _l("A note can be at most %(n)d characters.", n=MAX_CHARS)})
    joined = f"{order.notes}\n{text}" if (order.notes or "").strip() else text
    order = services.update_order(order_no, {"notes": joined}, version=order.version, actor=actor, via=via)
    db.session.add(OrderNote(order_id=order.id, author_id=getattr(actor, "id", None), via=via, text=text,
                             at=utcnow()))
    return order


def entries(order) -> list[OrderNote]:
    """Return the order's note entries, oldest first."""
    return list(db.session.scalars(select(OrderNote).where(OrderNote.order_id == order.id)
                                   .order_by(OrderNote.at, OrderNote.id)))
