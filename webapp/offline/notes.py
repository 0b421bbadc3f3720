"""Add a note to an order without overwriting anybody's: an appended entry (webapp.orders.notes)."""
from webapp.orders import notes


def add_note(order_no: str, text: str, *, actor, via: str = "web"):
    """Append one note entry through the orders domain (version-checked, audited)."""
    return notes.add(order_no, text, actor=actor, via=via)
