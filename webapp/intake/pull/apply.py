"""Apply one pulled order through the one write service: create it, update it, or skip it — each all or nothing.

A new paid order is created with submit_order(via="intake") by the channel's service user, and its
platform reference (PullRef) is written in the same transaction. An order seen before is skipped unless
the platform's update time moved: then changed contact fields are written with update_order (until
the parcel leaves) and a platform cancellation cancels it. Refusals land in the intake log with the raw order.
"""
import json
from dataclasses import dataclass

from sqlalchemy import select

from webapp.extensions import db
from webapp.intake import services
from webapp.intake.pull.adapters import Pulled
from webapp.intake.pull.models import PullRef
from webapp.orders import services as orders
from webapp.orders import txn
from webapp.orders.errors import OrderError
from webapp.orders.models import Order
from webapp.orders.validate import clean_fields

VIA = services.VIA
CONTACT = ("customer_name", "customer_phone", "address")
EDITABLE = ("pending_payment", "awaiting_approval", "confirmed", "in_production")  # before the parcel leaves
CANCEL_REASON = "平台已取消 (marketplace pull)"


@dataclass
class PullOutcome(services.Outcome):
    """A run's counts, with the orders a pull changed."""

    updated: int = 0
    lines: int = 0  # orders met so far (numbers the log's lines)

    def summary(self) -> str:
        """The last line `channel pull` prints."""
        return f"created {self.created}, updated {self.updated}, skipped {self.existing}, failed {self.failed}"


def apply_one(code: str, pulled: Pulled, user, outcome: PullOutcome, line: int) -> str:
    """Create, update or skip one pulled order and count it; return what happened."""
    if pulled.problems:
        return _fail(outcome, line, "; ".join(pulled.problems), pulled.raw)
    ref = db.session.scalar(select(PullRef).where(PullRef.channel == code, PullRef.external_id == pulled.external_id))
    if ref is not None and ref.remote_updated >= pulled.updated:
        return _count(outcome, "skipped")
    order_no = services.existing_order(code, pulled.external_id)
    if order_no is None and pulled.state != "open":
        return _count(outcome, "skipped")  # unpaid yet, or cancelled before we ever saw it
    write = (lambda: _create(code, pulled, user)) if order_no is None else (lambda: _update(code, order_no, pulled, user))
    try:
        what, outcome.orders[line] = txn.run(write, actor=user, via=VIA)
    except OrderError as exc:
        return _fail(outcome, line, services.error_text(exc), pulled.raw)
    return _count(outcome, what)


def _count(outcome: PullOutcome, what: str) -> str:
    if what == "created":
        outcome.created += 1
    elif what == "updated":
        outcome.updated += 1
    else:
        outcome.existing += 1
    return what


def _fail(outcome: PullOutcome, line: int, message: str, raw: str) -> str:
    outcome.failed += 1
    outcome.errors.append((line, message, raw[:services.RAW_LIMIT]))
    return "failed"


def _create(code: str, pulled: Pulled, user) -> tuple[str, str]:
    order = orders.submit_order(pulled.fields | {"channel": code}, pulled.items, actor=user, via=VIA)
    _remember(code, pulled, order.id, new=True)
    return "created", order.order_no


def _update(code: str, order_no: str, pulled: Pulled, user) -> tuple[str, str]:
    order = orders.load(order_no, user)
    changed = False
    if order.status in EDITABLE:
        given = {k: pulled.fields[k] for k in CONTACT if pulled.fields.get(k)}
        clean, errors = clean_fields(given)  # compare as stored (+86 phones, trimmed text)
        fields = {k: v for k, v in given.items() if k in errors or clean.get(k) != getattr(order, k)}
        if fields:
            orders.update_order(order_no, fields, actor=user, via=VIA)
            changed = True
        if pulled.state == "cancelled":
            orders.transition(order_no, "cancelled", actor=user, via=VIA, reason=CANCEL_REASON)
            changed = True
    _remember(code, pulled, order.id)
    return ("updated" if changed else "skipped"), order_no


def _remember(code: str, pulled: Pulled, order_id: int, new: bool = False) -> None:
    ref = None if new else db.session.scalar(select(PullRef).where(PullRef.channel == code,
                                                                   PullRef.external_id == pulled.external_id))
    if ref is None:
        ref = PullRef(channel=code, external_id=pulled.external_id, order_id=order_id)
        db.session.add(ref)
    ref.remote_updated, ref.data = pulled.updated, json.dumps(pulled.ref, ensure_ascii=False)
    db.session.flush()


def ref_of(order: Order) -> PullRef | None:
    """Return the platform reference of a pulled order, if it was pulled."""
    return db.session.scalar(select(PullRef).where(PullRef.order_id == order.id))
