"""Warehouse rules: scans as evidence, the outbound evidence provider, opening orders from codes,
outbound and hand-over to the courier (both through the orders write service)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.access.policy import policy_for
from webapp.audit import services as audit
from webapp.core.errors import AppError
from webapp.core.timefmt import fmt
from webapp.extensions import db
from webapp.orders import services as orders
from webapp.orders import notes as order_notes
from webapp.orders.errors import Conflict, NotFound
from webapp.orders.models import Order, OrderTransition
from webapp.warehouse import photos, qr
from webapp.warehouse.models import CAMERA_METHODS, Scan
from webapp.vocab import SHIPPED_STATES, TASK_STATES

CARRIERS = ("顺丰", "中通", "圆通", "韵达", "申通", "京东", "EMS", "极兔", "德邦", "邮政")

BAD_SIGNATURE = _l("This QR code was changed or does not belong to this system. Scan the label on the parcel, "
                   "or type the order number.")
NOT_A_LABEL = _l("This is not an OrderHub order label. Scan the QR code printed on the packing slip.")
OTHER_REGION = _l("This order belongs to another region.")


def record_scan(order, *, actor, method: str, via: str, reason: str = "") -> Scan:
    """Record that somebody opened this order from its label (or typed it, with a reason)."""
    scan = Scan(order_id=order.id, user_id=getattr(actor, "id", None), method=method, reason=reason)
    db.session.add(scan)
    audit.record("scan", actor=actor, via=via, order_no=order.order_no, field="scan", new=method,
                 detail=reason)
    return scan


def scan_evidence(order_id: int) -> dict:
    """Say whether the order's own label was scanned, and whether a typed-in reason stands in for it."""
    methods = {row.method: row.reason for row in db.session.execute(
        select(Scan.method, Scan.reason).where(Scan.order_id == order_id))}
    return {"scanned": any(m in methods for m in CAMERA_METHODS),
            "typed_reason": bool((methods.get("typed") or "").strip())}


def missing_evidence(order) -> list[str]:
    """Evidence provider for outbound: a scan of the order's label (or a typed reason) and a photo."""
    missing = []
    evidence = scan_evidence(order.id)
    if not (evidence["scanned"] or evidence["typed_reason"]):
        missing.append("scan")
    if photos.count(order.id) == 0:
        missing.append("photo")
    return missing


def wrong_order(scanned: str, expected: str) -> AppError:
    """Refuse a label scanned as evidence for another order (the label's own number is printed on it)."""
    return AppError(409, _l("The scanned QR code belongs to another order (%(scanned)s), not %(expected)s.",
                            scanned=scanned, expected=expected), "wrong_order")


def load_labelled(order_no: str, actor):
    """Load the order of a genuine (signed) label; say "another region" rather than "does not exist".

    Only for signed labels: the order is known to exist, so naming its region reveals nothing new,
    and nothing else of the order is told.
    """
    try:
        return orders.load(order_no, actor)
    except NotFound:
        policy = policy_for(actor)
        region = db.session.scalar(select(Order.region).where(Order.order_no == order_no,
                                                              Order.deleted_at.is_(None)))
        if policy.scope == "region" and region is not None and region not in policy.regions:
            raise AppError(404, OTHER_REGION, "other_region") from None  # still not shown: 404, named
        raise


def open_code(text: str, *, actor, secret: str, method: str, via: str = "web", expect: str | None = None):
    """Find the order a scanned (camera/photo) or typed code names; record a scan of a valid label.

    `expect`: the order this scan is evidence for (the offline queue's outbound); another order's
    label is refused and not recorded.
    """
    code = qr.parse(text)
    if method != "typed" and not code.is_label:
        raise AppError(422, NOT_A_LABEL, "not_a_label")
    if code.is_label and not (code.order_no and qr.valid(code.order_no, code.sig, secret)):
        raise AppError(403, BAD_SIGNATURE, "bad_signature")
    if not code.order_no:
        raise AppError(422, _l("Type an order number like SO20261125-0031."), "bad_code")
    if expect and code.order_no != expect.strip().upper():
        raise wrong_order(code.order_no, expect.strip().upper())
    order = load_labelled(code.order_no, actor) if code.is_label else orders.load(code.order_no, actor)
    if code.is_label and method != "typed":
        record_scan(order, actor=actor, method=method, via=via)
    return order


def open_label(order_no: str, sig: str | None, *, actor, secret: str, via: str = "web"):
    """Open an order from its label URL (the phone's own camera app): check the signature, record it."""
    if not qr.valid(order_no, sig, secret):
        raise AppError(403, BAD_SIGNATURE, "bad_signature")
    order = load_labelled(order_no, actor)
    record_scan(order, actor=actor, method="url", via=via)
    return order


def outbound_step(order) -> tuple[str, object] | None:
    """Return (who, when) of the order's step to outbound, or None when it has not left."""
    step = db.session.scalar(select(OrderTransition).where(
        OrderTransition.order_id == order.id, OrderTransition.to_state == "outbound")
        .order_by(OrderTransition.id.desc()).limit(1))
    if step is None:
        return None
    return (step.actor.name if step.actor else str(_l("the system"))), step.at


def shipped_by(order) -> str | None:
    """Return "already outbound by <who> at <HH:MM>" when the order has left the shelf, else None."""
    found = outbound_step(order)
    if found is None:
        return None
    return str(_l("Already outbound by %(who)s at %(at)s.", who=found[0], at=fmt(found[1], "%H:%M")))


def mark_outbound(order_no: str, *, actor, via: str = "web", reason: str = ""):
    """Mark an order outbound (through in_production when it is still confirmed); one of two racers wins."""
    order = orders.load(order_no, actor)
    if order.status in SHIPPED_STATES:
        raise Conflict(shipped_by(order) or _l("This order has already left."), order_no=order_no)
    reason = (reason or "").strip()
    if reason and not scan_evidence(order.id)["scanned"]:
        record_scan(order, actor=actor, method="typed", via=via, reason=reason)
    if order.status == "confirmed":
        orders.transition(order_no, "in_production", actor=actor, via=via)
    return orders.transition(order_no, "outbound", actor=actor, via=via, reason=reason)


def hand_over(order_no: str, carrier: str, tracking_no: str, *, actor, via: str = "web"):
    """Give an outbound order to the courier: carrier and tracking number, then in_transit."""
    errors = {}
    carrier, tracking_no = (carrier or "").strip(), (tracking_no or "").strip().upper()
    if not carrier:
        errors["carrier"] = _l("Pick the courier company.")
    if not tracking_no.replace("-", "").isalnum() or not 6 <= len(tracking_no) <= 40:
        errors["tracking_no"] = _l("Scan or type the tracking number (6–40 letters and digits).")
    if errors:
        from webapp.orders.errors import Invalid
        raise Invalid(errors)
    return orders.transition(order_no, "in_transit", actor=actor, via=via,
                             supplied={"carrier": carrier, "tracking_no": tracking_no})


def pack_view(order, actor) -> dict:
    """Return what the pack screen shows of an order: only fields this user may read, never amounts."""
    policy = policy_for(actor)
    can = policy.can_read
    evidence = scan_evidence(order.id)
    shown = photos.of_order(order.id) if can("photos") else []
    return {
        "order": order, "can": can, "state": order.status,
        "customer_name": order.customer_name if can("customer_name") else None,
        "phone": order.customer_phone if can("customer_phone") else None,
        "address": order.address if can("address") else None,
        "notes": order.notes if can("notes") else None,
        "floor_notes": order_notes.entries(order) if can("notes") else [],
        "lines": [{"name": ln.name, "sku": ln.sku, "quantity": ln.quantity} for ln in order.lines]
        if can("items") else [],
        "scanned": evidence["scanned"], "typed_reason": evidence["typed_reason"],
        "photos": shown, "photo_count": len(shown) if can("photos") else photos.count(order.id),
        "can_photo": policy.can_write("photos") and order.status in TASK_STATES,
        "can_outbound": order.status in TASK_STATES,
        "policy_can_write_notes": policy.can_write("notes"),
    }
