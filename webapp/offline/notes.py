"""Add a note to an order without overwriting anybody's: read, append and write in one transaction."""
from webapp.orders import services


def add_note(order_no: str, text: str, *, actor, via: str = "web"):
    """Append one line to the order's notes through the write service (version-checked, audited)."""
    order = services.load(order_no, actor)
    text = " ".join((text or "").split())
    if not text:
        from flask_babel import lazy_gettext as _l
        from webapp.orders.errors import Invalid
        raise Invalid({"note": _l("Write the note first.")})
    joined = f"{order.notes}\n{text}" if (order.notes or "").strip() else text
    return services.update_order(order_no, {"notes": joined}, version=order.version, actor=actor, via=via)
