"""After-sales rules: open a case on a visible order, move it through its states, resend through the one
write path, audit every change. Services take the actor explicitly and never commit (txn.run does).

Who may do what is the matrix: `aftersales` opens and moves cases; approving a refund above
REFUND_LIMIT (ORDERHUB_REFUND_LIMIT, default 500.00 CNY) also needs `refund_review`. The refund amount is
a matrix field (`refund_amount`): only roles that may write it set it, only roles that may read it see it.
"""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.access.policy import policy_for
from webapp.aftersales.models import AftersalesCase, CaseLine
from webapp.audit.services import record
from webapp.config import setting
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders import services as orders
from webapp.orders.errors import Conflict, Forbidden, Invalid, NotFound
from webapp.orders.models import Order
from webapp.vocab import CASE_KINDS, CASE_STEPS

RESEND_KINDS = ("exchange", "wrong_item", "missing_item", "damaged")  # "resent" sends the lines again


def refund_limit() -> Decimal:
    """Return the refund amount above which finance (refund_review) must approve."""
    return Decimal(str(setting("REFUND_LIMIT", "500.00")))


def _guard(actor, action: str = "aftersales") -> None:
    if not policy_for(actor).can(action):
        raise Forbidden(_l("Your role may not handle after-sales cases."))


def _amount(text) -> Decimal:
    try:
        value = Decimal(str(text or "0").strip() or "0").quantize(Decimal("0.01"))
    except InvalidOperation:
        raise Invalid({"refund_amount": _l("Enter an amount such as 12.50.")}) from None
    if value < 0:
        raise Invalid({"refund_amount": _l("The refund cannot be negative.")})
    return value


def _case_lines(order: Order, picked: dict) -> list[CaseLine]:
    """Turn {order line id: quantity} into case lines; every line must belong to this order."""
    own = {ln.id: ln for ln in order.lines}
    out = []
    for line_id, qty in picked.items():
        line = own.get(line_id)
        if line is None or not 1 <= qty <= line.quantity:
            raise Invalid({"lines": _l("Choose lines of this order, at most the quantity sold.")})
        out.append(CaseLine(order_line_id=line.id, quantity=qty))
    return out


def _refund_for(order: Order, refund, actor) -> Decimal:
    """Return the checked refund amount: only a role that may write refund_amount gives one; ≤ what was paid."""
    if str(refund or "").strip() and not policy_for(actor).can_write("refund_amount"):
        raise Forbidden(_l("Your role may not set refund amounts."), fields=["refund_amount"], order_no=order.order_no)
    amount = _amount(refund)
    if amount > order.total_amount:
        raise Invalid({"refund_amount": _l("The refund cannot exceed what was paid.")})
    return amount


def open_case(order_no: str, kind: str, picked: dict, words: str, refund, *, actor, via: str) -> AftersalesCase:
    """Open a case on an order the actor may see (NotFound otherwise) and audit it."""
    _guard(actor)
    order = orders.load(order_no, actor)
    if kind not in CASE_KINDS:
        raise Invalid({"kind": _l("Choose what kind of case this is.")})
    amount = _refund_for(order, refund, actor)
    lines = _case_lines(order, picked)
    if not lines and kind != "refund_only":
        raise Invalid({"lines": _l("Choose the lines concerned.")})
    case = AftersalesCase(order_id=order.id, kind=kind, status="open", customer_words=(words or "").strip()[:2000],
                          refund_amount=amount, opened_by_id=getattr(actor, "id", None), lines=lines)
    db.session.add(case)
    db.session.flush()
    record("case_opened", actor=actor, via=via, order_no=order.order_no, new=f"#{case.id} {kind}",
           detail=f"refund={amount}")
    return case


def load_case(case_id: int, actor) -> tuple[AftersalesCase, Order]:
    """Return a case and its order if the actor may see that order, else raise NotFound."""
    case = db.session.get(AftersalesCase, case_id)
    if case is None:
        raise NotFound()
    order = db.session.get(Order, case.order_id)
    if order is None or not policy_for(actor).can_see(order) or order.deleted_at is not None:
        raise NotFound()
    return case, order


def needs_review(case: AftersalesCase) -> bool:
    """Say whether approving this case needs finance (refund_review): a refund above the limit."""
    return case.refund_amount > refund_limit()


def may_move(case: AftersalesCase, to: str, actor) -> bool:
    """Say whether the actor may move the case to `to` now."""
    policy = policy_for(actor)
    if (case.status, to) not in CASE_STEPS:
        return False
    if to == "approved" and needs_review(case):
        return policy.can("refund_review")
    if to == "resent" and case.kind not in RESEND_KINDS:
        return False
    return policy.can("aftersales")


def move_case(case_id: int, to: str, *, actor, via: str, version=None) -> AftersalesCase:
    """Take one step of the case (vocab.CASE_STEPS); "resent" creates the linked order; audited."""
    case, order = load_case(case_id, actor)
    if version not in (None, "") and int(version) != case.version:
        raise Conflict(_l("Someone else changed this case; reload and try again."), order_no=order.order_no)
    if not may_move(case, to, actor):
        raise Forbidden(_l("This step is not allowed for this case or your role."), order_no=order.order_no)
    if to == "resent":
        case.linked_order_id = _resend(case, order, actor, via).id
    source = case.status
    case.status, case.version, case.updated_at = to, case.version + 1, utcnow()
    if to == "refunded":
        case.refunded_at = case.updated_at
    record("case_step", actor=actor, via=via, order_no=order.order_no, field=f"case #{case.id}", old=source, new=to)
    return case


def set_refund(case_id: int, refund, *, actor, via: str, version=None) -> AftersalesCase:
    """Set the refund amount of an open case (refund_amount writers only, ≤ what was paid); audited."""
    case, order = load_case(case_id, actor)
    _guard(actor)
    if version not in (None, "") and int(version) != case.version:
        raise Conflict(_l("Someone else changed this case; reload and try again."), order_no=order.order_no)
    if case.status != "open":
        raise Forbidden(_l("The refund amount can be changed only while the case is open."), order_no=order.order_no)
    if not str(refund or "").strip():
        raise Invalid({"refund_amount": _l("Enter an amount such as 12.50.")})
    amount = _refund_for(order, refund, actor)
    old, case.refund_amount = case.refund_amount, amount
    case.version, case.updated_at = case.version + 1, utcnow()
    record("case_refund", actor=actor, via=via, order_no=order.order_no, field=f"case #{case.id}",
           old=str(old), new=str(amount))
    return case


def _resend(case: AftersalesCase, order: Order, actor, via: str) -> Order:
    """Create the replacement order for the case's lines through the one write path (submit_order)."""
    by_id = {ln.id: ln for ln in order.lines}
    items = [{"sku": by_id[cl.order_line_id].sku, "quantity": cl.quantity} for cl in case.lines]
    raw = {"customer_name": order.customer_name, "customer_phone": order.customer_phone, "address": order.address,
           "channel": order.channel, "notes": f"AS-{case.id} ← {order.order_no}"}
    new = orders.submit_order(raw, items, actor=actor, via=via)
    record("case_resend", actor=actor, via=via, order_no=order.order_no, field=f"case #{case.id}", new=new.order_no)
    return new


def cases_of(order_id: int) -> list[AftersalesCase]:
    """Return an order's cases, newest first."""
    return list(db.session.scalars(select(AftersalesCase).where(AftersalesCase.order_id == order_id)
                                   .order_by(AftersalesCase.id.desc())))
