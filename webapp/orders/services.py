"""The one write path for orders: create, change fields and lines, transitions, soft delete, restore.

Every write (form, htmx, API, import, offline replay, system job) comes here with an explicit actor
and write path (`via`: web/api/offline/system). Each call: checks webapp.access.policy (fields and row
scope), validates, applies one conditional UPDATE on (id, version[, status]) that bumps version and
updated_at, writes audit entries for every change, and emits an OrderEvent, all in the caller's
transaction. The caller commits once; webapp.orders.txn.run() does that and records refusals.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.access.policy import PermissionDenied, check_write, policy_for
from webapp.audit import services as audit
from webapp.core.db import utcnow
from webapp.core.money import to_money
from webapp.extensions import db
from webapp.orders import changes as ch
from webapp.orders import counts
from webapp.orders import statemachine as sm
from webapp.orders.catalogue import ProductError, create_product, customer_for  # noqa: F401 (public names)
from webapp.orders.errors import Conflict, Forbidden, Invalid, NotFound, StepRefused
from webapp.orders.hooks import OrderEvent, emit
from webapp.orders.loading import load  # noqa: F401 (public name: every write and page loads through it)
from webapp.orders.models import Order, OrderLine, OrderTransition
from webapp.orders.numbering import next_order_no
from webapp.orders.regions import region_of
from webapp.orders.totals import Totals, compute_totals  # noqa: F401 (public names)
from webapp.orders.validate import clean_fields, clean_items
from webapp.vocab import COMPUTED_FIELDS, DEFAULT_SHIPPING_PAYER, ORDER_FIELDS, STATES

COLUMNS = {"salesperson": "salesperson_id"}  # contract field name → column, where they differ
REQUIRED_ON_CREATE = ("customer_name", "customer_phone", "address")
ORIGIN_FIELDS = ("channel", "external_id")  # whoever may create an order says where it came from (issue 11)


def _guard_fields(actor, order, names, order_no=None) -> None:
    """Refuse computed fields for everyone and fields the actor's policy may not write now."""
    computed = [n for n in names if n in COMPUTED_FIELDS]
    if computed:
        raise Forbidden(_l("These fields are computed and cannot be set: %(f)s.", f=", ".join(computed)),
                        computed, order_no)
    try:
        check_write(policy_for(actor), order, names)
    except PermissionDenied as exc:
        message = (_l("These fields are locked once the order is confirmed: %(f)s.", f=", ".join(exc.fields))
                   if exc.reason == "locked" else
                   _l("You may not change: %(f)s.", f=", ".join(exc.fields)))
        raise Forbidden(message, exc.fields, order_no) from exc


def _totals_or_invalid(lines, discount, shipping_fee, shipping_paid_by) -> Totals:
    totals = compute_totals(lines, discount, shipping_fee, shipping_paid_by)
    if to_money(discount or 0) > totals.goods:  # a fee charged to the customer does not make room for it
        raise Invalid({"discount": _l("The discount cannot be larger than the goods total (%(g)s).",
                                      g=f"¥{totals.goods:,.2f}")})
    return totals


def submit_order(raw: dict, items: list[dict], *, actor, via: str = "web", order_no: str | None = None) -> Order:
    """Create an order from typed input: check permissions, validate, price lines from the catalogue."""
    names = [n for n in raw if n in ORDER_FIELDS and n not in ORIGIN_FIELDS and str(raw[n] or "").strip()]
    _guard_fields(actor, None, sorted(set(names) | {"items", *REQUIRED_ON_CREATE}))
    clean, errors = clean_fields({n: "" for n in (*REQUIRED_ON_CREATE, "shipping_paid_by")} | raw)
    lines, line_errors = clean_items(items)
    errors |= line_errors
    if errors:
        raise Invalid(errors)
    _totals_or_invalid(lines, clean.get("discount", 0), clean.get("shipping_fee", 0), clean["shipping_paid_by"])
    data = {k: v for k, v in clean.items() if k != "salesperson"}
    data["salesperson_id"] = clean.get("salesperson") or getattr(actor, "id", None)
    return create_order(data, lines, actor, via, order_no=order_no)  # order_no: a reserved paper-form number


def create_order(data: dict, lines: list[dict], actor, via: str = "web", *,
                 status: str = "pending_payment", at=None, order_no: str | None = None) -> Order:
    """Create an order from validated data and priced lines; totals are computed, never taken as typed.

    Only the system (actor None: demo data, imports) may create an order in a later state.
    """
    if status != "pending_payment" and actor is not None:
        raise Forbidden(_l("New orders start as pending payment."), ["status"])
    now = at or utcnow()
    audit.hold_chain()  # before the day's number and the counters: see audit.hold_chain
    _unique_external_id(data.get("channel") or "web", data.get("external_id"))
    payer = data.get("shipping_paid_by") or DEFAULT_SHIPPING_PAYER  # imports, demo data: the same default
    totals = compute_totals(lines, data.get("discount", 0), data.get("shipping_fee", 0), payer)
    customer = customer_for(data["customer_phone"], data["customer_name"], data["address"])
    order = Order(
        order_no=order_no or next_order_no(now, current_app.config["ORDERHUB_TZ"]),
        channel=data.get("channel") or "web", external_id=data.get("external_id"),
        customer_id=customer.id, customer_name=data["customer_name"],
        customer_phone=data["customer_phone"], address=data["address"],
        region=data.get("region") or region_of(data["address"]),
        salesperson_id=data.get("salesperson_id", getattr(actor, "id", None)),
        status=status, discount=to_money(data.get("discount") or 0),
        shipping_fee=to_money(data.get("shipping_fee") or 0), shipping_paid_by=payer, total_amount=totals.total_amount,
        cost_total=totals.cost_total, profit=totals.profit, notes=data.get("notes") or "",
        carrier=data.get("carrier"), tracking_no=data.get("tracking_no"),
        outbound_at=data.get("outbound_at"), version=1,
        created_at=now, updated_at=now, state_changed_at=now,
        lines=[OrderLine(position=i, **ch.line_dict(ln)) for i, ln in enumerate(lines)],
    )
    db.session.add(order)
    db.session.flush()
    counts.move(None, counts.key(order))
    db.session.add(OrderTransition(order_id=order.id, from_state=None, to_state=status,
                                   actor_id=getattr(actor, "id", None), via=via, at=now))
    audit.record("create", actor=actor, via=via, order_no=order.order_no, field=None,
                 new=audit.as_text(creation_snapshot(order)))
    emit(OrderEvent("created", order, actor, via, to_state=status))
    return order


SNAPSHOT_FIELDS = ("channel", "external_id", "customer_name", "customer_phone", "address", "region", "status",
                   "discount", "shipping_fee", "shipping_paid_by", "total_amount", "cost_total", "profit", "carrier",
                   "tracking_no", "outbound_at", "notes")


def creation_snapshot(order: Order) -> dict:
    """Return every initial value of a new order, as the audit log keeps it (replay starts here)."""
    snap = {f: audit.as_text(getattr(order, f)) for f in SNAPSHOT_FIELDS}
    snap["salesperson"] = audit.as_text(order.salesperson_id)
    snap["items"] = [audit.as_text(ch.line_dict(ln)) for ln in order.lines]
    return snap


def _check_version(order: Order, version) -> None:
    if version is not None and int(version) != order.version:
        raise ch.conflict(order)


def _column_values(order: Order, clean: dict, raw: dict) -> dict:
    """Map clean contract fields to column values, deriving region and customer where they follow."""
    values = {COLUMNS.get(k, k): v for k, v in clean.items()}
    if "address" in clean and not clean.get("region"):
        values["region"] = region_of(clean["address"])
    elif "region" in raw and not clean.get("region"):
        values["region"] = region_of(order.address)
    if "customer_phone" in clean and clean["customer_phone"] != order.customer_phone:
        values["customer_id"] = customer_for(clean["customer_phone"], clean.get("customer_name", order.customer_name),
                                             clean.get("address", order.address)).id
    if values.get("notes") is None and "notes" in values:
        values["notes"] = ""
    return values


def update_order(order_no: str, raw: dict, items: list[dict] | None = None, *, version=None,
                 actor, via: str = "web") -> Order:
    """Apply any subset of field changes (and a new list of lines) to an order for an actor.

    A field the actor may not write → Forbidden (403) naming it; a stale version → Conflict (409);
    bad input → Invalid (422). In each case nothing is changed.
    """
    order = load(order_no, actor)
    names = [n for n in raw if n in ORDER_FIELDS] + (["items"] if items is not None else [])
    _guard_fields(actor, order, names, order_no)
    _check_version(order, version)
    clean, errors = clean_fields(raw)
    lines = None
    if items is not None:
        lines, line_errors = clean_items(items, sold=order.lines)
        errors |= line_errors
    if errors:
        raise Invalid(errors)
    values = _column_values(order, clean, raw)
    _unique_external_id(values.get("channel", order.channel), values.get("external_id", order.external_id),
                        order.id)
    to_be = _Proposed(order, values)  # lines is None or non-empty here (no lines at all is Invalid above)
    totals = _totals_or_invalid(lines or order.lines, to_be.discount, to_be.shipping_fee, to_be.shipping_paid_by)
    values |= {"total_amount": totals.total_amount, "cost_total": totals.cost_total, "profit": totals.profit}
    changed = {k: (getattr(order, k), v) for k, v in values.items() if getattr(order, k) != v}
    line_changes = ch.diff_lines(order.lines, lines) if lines is not None else []
    if not changed and not line_changes:
        return order
    audit.hold_chain()  # before the counters: see audit.hold_chain
    now, before = utcnow(), counts.key(order)
    ch.conditional_update(order, {k: new for k, (_old, new) in changed.items()}, now)
    counts.move(before, counts.key(order))
    if line_changes:
        ch.replace_lines(order, lines)
    fields = {_field_name(k): pair for k, pair in changed.items() if k != "customer_id"}
    ch.record_changes(order, fields, line_changes, actor, via)
    emit(OrderEvent("changed", order, actor, via, changes=fields | _line_summary(line_changes)))
    return order


def _unique_external_id(channel, external_id, order_id=None) -> None:
    """Refuse a (channel, external id) pair another order already has: Invalid, not a database error."""
    if not external_id:
        return
    taken = db.session.scalar(select(Order.order_no).where(
        Order.channel == channel, Order.external_id == external_id, Order.id != (order_id or 0)))
    if taken:
        raise Invalid({"external_id": _l("Order %(no)s from this channel already has this external ID.", no=taken)})


def _field_name(column: str) -> str:
    return next((f for f, c in COLUMNS.items() if c == column), column)


def _line_summary(line_changes) -> dict:
    return {"items": ([old for _a, old, _n in line_changes], [new for _a, _o, new in line_changes])} \
        if line_changes else {}


class _Proposed:
    """The order as it would be with the fields supplied in the same request (for evidence checks)."""

    def __init__(self, order, supplied: dict):
        self._order, self._supplied = order, supplied

    def __getattr__(self, name):
        return self._supplied[name] if name in self._supplied else getattr(self._order, name)


def transition(order_no: str, to: str, *, actor, via: str = "web", version=None, reason: str = "",
               supplied: dict | None = None) -> Order:
    """Move an order one step along the state machine, with its evidence, for an actor.

    `supplied` may carry carrier / tracking_no given in the same request; they are written with the
    step (and checked like any field write). Two concurrent callers: exactly one wins.
    """
    order = load(order_no, actor)
    if to not in STATES:
        raise Invalid({"to": _l("Unknown state.")})
    supplied = {k: v for k, v in (supplied or {}).items() if str(v or "").strip()}
    _check_version(order, version)
    if order.status == to:
        raise ch.conflict(order)
    _guard_fields(actor, order, sorted(supplied), order_no)
    clean, errors = clean_fields(supplied)
    if errors:
        raise Invalid(errors)
    refusal = sm.refusal(order, to, actor, _Proposed(order, clean), reason)
    if refusal:
        if refusal.code == "role":
            raise Forbidden(refusal.message, ["status"], order_no, code="role")
        raise StepRefused(refusal, order_no)
    return _apply_step(order, to, clean, actor, via, reason)


def _apply_step(order: Order, to: str, clean: dict, actor, via: str, reason: str) -> Order:
    audit.hold_chain()  # before the counters: see audit.hold_chain
    now, source = utcnow(), order.status
    values = {"status": to, "state_changed_at": now} | clean
    if to == "outbound" and order.outbound_at is None:
        values["outbound_at"] = now
    changed = {k: (getattr(order, k), v) for k, v in values.items()
               if k != "state_changed_at" and getattr(order, k) != v}
    before = counts.key(order)
    ch.conditional_update(order, values, now, status=source)
    counts.move(before, counts.key(order))
    db.session.add(OrderTransition(order_id=order.id, from_state=source, to_state=to,
                                   actor_id=getattr(actor, "id", None), via=via, reason=reason or "", at=now))
    audit.record("transition", actor=actor, via=via, order_no=order.order_no, field="status",
                 old=source, new=to, detail=reason or "")
    ch.record_changes(order, {k: v for k, v in changed.items() if k != "status"}, [], actor, via)
    emit(OrderEvent("transition", order, actor, via, changes=changed, from_state=source, to_state=to))
    return order


def delete_order(order_no: str, *, actor, via: str = "web", reason: str = "") -> Order:
    """Soft-delete an order (recoverable); only admins (after step-up, checked by the caller)."""
    order = load(order_no, actor)
    return _set_deleted(order, utcnow(), "delete", actor, via, reason)


def restore_order(order_no: str, *, actor, via: str = "web", reason: str = "") -> Order:
    """Bring a soft-deleted order back."""
    order = load(order_no, actor, deleted=True)
    return _set_deleted(order, None, "restore", actor, via, reason)


def _set_deleted(order: Order, value, action: str, actor, via: str, reason: str) -> Order:
    if not sm.may(actor, action):
        raise Forbidden(_l("Your role may not delete or restore orders."), [action], order.order_no, code="role")
    audit.hold_chain()  # before the counters: see audit.hold_chain
    old, before = order.deleted_at, counts.key(order)
    ch.conditional_update(order, {"deleted_at": value}, utcnow())
    counts.move(before, counts.key(order))
    audit.record(action, actor=actor, via=via, order_no=order.order_no, field="deleted_at", old=old,
                 new=value, detail=reason or "")
    emit(OrderEvent("deleted" if value else "restored", order, actor, via))
    return order


__all__ = ["Conflict", "Forbidden", "Invalid", "NotFound", "StepRefused", "compute_totals", "create_order",
           "create_product", "customer_for", "delete_order", "load", "restore_order",
           "submit_order", "transition", "update_order", "ProductError"]
