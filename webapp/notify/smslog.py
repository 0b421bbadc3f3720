"""The SMS log as people read it: order numbers, recipients by name, translated kinds and states, phones
masked for viewers who may not read them, no raw payloads or hashes."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.auth.models import User
from webapp.core.labels import state_label
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.orders.phones import local_display, mask_phone

MEDIA = {"push": _l("Push"), "sms": _l("SMS"), "webhook": _l("Webhook"), "robot": _l("Group robot"),
         "tracking": _l("Parcel tracking"), "waybill": _l("E-waybill"), "channel": _l("Sales channel")}
TOPICS = {"outbound_sms": _l("Tracking link to the customer"), "subscribe": _l("Subscribe to courier events"),
          "poll": _l("Ask for courier events"), "waybill": _l("Ask for a waybill"),
          "writeback": _l("Report the shipment to the channel"), "approval_needed": _l("Approval needed"),
          "order_confirmed": _l("Order confirmed"), "state_changed": _l("State changed"),
          "overdue": _l("Overdue"), "overdue_escalated": _l("Overdue, escalated"),
          "webhook_disabled": _l("Webhook disabled"), "login_guessing": _l("Password guessing detected"),
          "order.created": _l("Order created"), "order.updated": _l("Order changed"),
          "order.status_changed": _l("State changed"), "order.shipped": _l("Handed to the courier"),
          "order.awaiting_approval": _l("Awaiting approval"), "order.overdue": _l("Overdue")}
STATUSES = {"pending": _l("waiting"), "sending": _l("sending"), "sent": _l("sent"), "skipped": _l("skipped"),
            "failed": _l("failed")}
BACKENDS = {"record": _l("kept here (not sent)"), "http": _l("SMS gateway")}
MAX_ERROR = 200


@dataclass(frozen=True)
class SmsRow:
    """One SMS handed to the gateway."""

    at: datetime
    order_no: str
    phone: str
    body: str
    gateway: str


@dataclass(frozen=True)
class OutboxRow:
    """One outbox message."""

    id: int
    kind: str
    to: str
    order_no: str
    status: str
    status_code: str
    attempts: int
    created_at: datetime
    error: str


def phone_text(phone: str | None, policy) -> str:
    """Show a phone as the viewer may: in full when they may read customer_phone, else masked."""
    if not phone:
        return ""
    return local_display(phone) if policy.can_read("customer_phone") else mask_phone(phone)


def _order_numbers(ids) -> dict:
    ids = {i for i in ids if i}
    return dict(db.session.execute(select(Order.id, Order.order_no).where(Order.id.in_(ids))).all()) if ids else {}


def _names(ids) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {uid: display or username for uid, display, username in db.session.execute(
        select(User.id, User.display_name, User.username).where(User.id.in_(ids)))}


def sms_rows(records, policy) -> list[SmsRow]:
    """Return the SMS records to read."""
    numbers = _order_numbers(r.order_id for r in records)
    return [SmsRow(r.at, numbers.get(r.order_id, ""), phone_text(r.phone, policy), r.body,
                   str(BACKENDS.get(r.backend, r.backend))) for r in records]


def outbox_rows(messages, policy) -> list[OutboxRow]:
    """Return the outbox messages to read: kind and state translated, the recipient by name."""
    numbers = _order_numbers(m.order_id for m in messages)
    names = _names(m.user_id for m in messages)
    rows = []
    for m in messages:
        kind = f"{MEDIA.get(m.medium, m.medium)} · {TOPICS.get(m.topic, state_label(m.topic))}"
        to = names.get(m.user_id) or phone_text(m.phone, policy)
        error = m.last_error if len(m.last_error or "") <= MAX_ERROR else m.last_error[:MAX_ERROR - 1] + "…"
        rows.append(OutboxRow(m.id, kind, to, numbers.get(m.order_id, ""), str(STATUSES.get(m.status, m.status)),
                              m.status, m.attempts, m.created_at, error or ""))
    return rows
