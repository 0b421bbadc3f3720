"""The risk queue: holds as data on orders that look wrong, cleared or cancelled by a reviewer.

Rules (each a function order → detail text or None): an address without a district or county, a
phone's 4th order within 24 hours, the same phone ordering the same items through another channel
within 48 hours (suspected duplicate, so channel intake can land before or after this), a phone on
the blocklist, an amount far above the customer's usual (riskchecks.py). Orders are
screened when people or channels create them (web, API, offline, intake); orders the system writes
itself (demo data, backfills) are not. A held order cannot be confirmed: the state machine refuses.
"""
import re
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from webapp.approvals import riskchecks
from webapp.approvals.models import RiskHold
from webapp.approvals.rules import read_cache
from webapp.audit import services as audit
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.orders.statemachine import Refusal

PHONE_WINDOW, PHONE_LIMIT = timedelta(hours=24), 4
DUPLICATE_WINDOW = timedelta(hours=48)
KIND_LABELS = {
    "vague_address": _l("Address without a district or county"),
    "phone_frequency": _l("Same phone: 4th order within 24 hours"),
    "cross_channel_duplicate": _l("Suspected duplicate from another channel"),
    "blocked_phone": _l("Phone on the blocklist"),
    "unusual_amount": _l("Amount far above this customer's usual"),
}
_PROVINCE = re.compile(r"^.{2,7}?(?:省|自治区|特别行政区)")
_CITY = re.compile(r"^.{1,9}?(?:市|自治州|地区|盟)")
_DISTRICT = re.compile(r"^.{1,12}?(?:区|县|旗|市)")
_TOWNSHIP = re.compile(r"^.{1,10}?(?:镇|乡|街道|苏木)")


def has_district(address: str) -> bool:
    """Say whether an address names a district or county after its province and city (区/县/旗/市…).

    A county-level city (江苏省昆山市玉山镇…) has no district: a township (镇/乡/街道) right after a
    "…市" shows the city was the county level itself. Without the township it stays held (a heuristic).
    """
    rest = re.sub(r"\s+", "", address or "")
    city = None
    for part in (_PROVINCE, _CITY):
        found = part.match(rest)
        if found:
            rest, city = rest[found.end():], found
    if _DISTRICT.match(rest):
        return True
    return city is not None and city.group(0).endswith("市") and bool(_TOWNSHIP.match(rest))


def vague_address(order) -> str | None:
    return None if has_district(order.address) else order.address[:120]


def phone_frequency(order) -> str | None:
    since = order.created_at - PHONE_WINDOW
    count = db.session.scalar(select(func.count()).select_from(Order).where(
        Order.customer_phone == order.customer_phone, Order.created_at > since, Order.created_at <= order.created_at,
        Order.deleted_at.is_(None)))
    return f"{count} / 24h" if count >= PHONE_LIMIT else None


def _basket(order) -> list:
    return sorted((ln.sku, ln.quantity) for ln in order.lines)


def cross_channel_duplicate(order) -> str | None:
    window = (order.created_at - DUPLICATE_WINDOW, order.created_at + DUPLICATE_WINDOW)
    others = db.session.scalars(select(Order).where(
        Order.customer_phone == order.customer_phone, Order.channel != order.channel, Order.id != order.id,
        Order.created_at.between(*window), Order.deleted_at.is_(None), Order.status != "cancelled"))
    basket = _basket(order)
    return next((f"{o.order_no} ({o.channel})" for o in others if _basket(o) == basket), None)


RULES = {"vague_address": vague_address, "phone_frequency": phone_frequency,
         "cross_channel_duplicate": cross_channel_duplicate, "blocked_phone": riskchecks.blocked_phone,
         "unusual_amount": riskchecks.unusual_amount}


def all_holds(order) -> list[RiskHold]:
    """Return every hold the order ever had, oldest first (read once per page)."""
    return read_cache(("holds", order.id), lambda: list(db.session.scalars(
        select(RiskHold).where(RiskHold.order_id == order.id).order_by(RiskHold.id))))


def open_holds(order) -> list[RiskHold]:
    """Return the order's holds not yet cleared."""
    return [h for h in all_holds(order) if h.status == "open"]


def screen(order, *, via: str, kinds=None, new: bool = False) -> list[RiskHold]:
    """Run the risk rules on an order and hold it for each that fires (once per kind while open).

    `new`: the order was created in this transaction, so it has no holds yet (no query for them).
    """
    held = set() if new else {h.kind for h in open_holds(order)}
    made = []
    for kind, rule in RULES.items():
        if kinds is not None and kind not in kinds or kind in held:
            continue
        detail = rule(order)
        if detail:
            made.append(RiskHold(order_id=order.id, kind=kind, detail=detail[:255], status="open",
                                 created_at=utcnow(), note=""))
    for hold in made:
        db.session.add(hold)
        audit.record("risk_hold", via=via, order_no=order.order_no, field="risk", new=hold.kind, detail=hold.detail)
    if made:
        db.session.flush()
    return made


def label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def gate(order, target: str, actor) -> Refusal | None:
    """Installed into the state machine: an order with open holds cannot be confirmed."""
    if target != "confirmed" or order.id is None:
        return None
    holds = open_holds(order)
    if not holds:
        return None
    names = "; ".join(label(h.kind) for h in holds)
    return Refusal("risk_hold", 422, _l("Held for risk review: %(names)s. A reviewer must clear it first.",
                                        names=names))


def resolve(hold_id: int, outcome: str, *, actor, note: str, via: str = "web") -> RiskHold:
    """Clear a hold (with a note) or cancel its order (with a reason); both audited."""
    from webapp.orders import services as orders
    from webapp.orders.errors import Conflict, Invalid
    note = (note or "").strip()
    if not note:
        raise Invalid({"note": _l("Write a note (clearing) or a reason (cancelling).")})
    hold = db.session.get(RiskHold, hold_id)
    if hold is None:
        raise Conflict(_l("This hold was already dealt with."))
    orders.load(hold.order.order_no, actor)  # inside the reviewer's row scope
    won = db.session.execute(update(RiskHold).where(RiskHold.id == hold_id, RiskHold.status == "open").values(
        status="cleared" if outcome == "clear" else "cancelled", resolved_by_id=actor.id, resolved_at=utcnow(),
        note=note).execution_options(synchronize_session=False))
    if won.rowcount != 1:  # two reviewers at once: the first one decides
        raise Conflict(_l("This hold was already dealt with."))
    db.session.refresh(hold)
    audit.record("risk_" + ("clear" if outcome == "clear" else "cancel"), actor=actor, via=via,
                 order_no=hold.order.order_no, field="risk", old=hold.kind, new=hold.status, detail=note)
    if outcome != "clear":
        for other in open_holds(hold.order):
            other.status, other.resolved_by_id, other.resolved_at, other.note = "cancelled", actor.id, utcnow(), note
        orders.transition(hold.order.order_no, "cancelled", actor=None, via=via,
                          reason=f"{label(hold.kind)}: {note}")
    db.session.flush()
    return hold


def queue(limit: int = 100) -> list[RiskHold]:
    """Return the open holds, oldest first (the risk queue)."""
    return list(db.session.scalars(select(RiskHold).where(RiskHold.status == "open")
                                   .order_by(RiskHold.created_at, RiskHold.id).limit(limit)))
