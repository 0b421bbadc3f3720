"""The customer's question from the tracking page: an inquiry on the order for support, rate-limited.

The customer is not a user, so the inquiry has no actor and its audit entry says so. Other domains
(the support group's robot) hear about a question through on_question(), registered in their init_app.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from webapp.aftersales.models import Inquiry
from webapp.audit.services import record
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.vocab import INQUIRY_REASONS

PER_HOUR = 3  # questions per order per hour from the tracking page
MAX_CHARS = 500
HOOKS: list = []
CUSTOMER_REASONS = ("where_is_my_order", "change_order", "product_question", "complaint", "other")


class QuestionRefused(ValueError):
    """A question not taken: status (422 bad input, 429 too many) and a message for the customer."""

    def __init__(self, status: int, message):
        super().__init__(str(message))
        self.status, self.message = status, message


def on_question(fn) -> None:
    """Register fn(order, inquiry) to run in the question's transaction (from another domain's init_app)."""
    if fn not in HOOKS:
        HOOKS.append(fn)


def recent(order, now=None) -> int:
    """Return how many questions the customer sent about this order in the last hour."""
    since = (now or utcnow()) - timedelta(hours=1)
    return db.session.scalar(select(func.count(Inquiry.id)).where(
        Inquiry.order_id == order.id, Inquiry.actor_id.is_(None), Inquiry.created_at > since)) or 0


def ask(order, reason: str, text: str, now=None) -> Inquiry:
    """Record the customer's question as an inquiry (the caller commits); raise QuestionRefused."""
    text = " ".join((text or "").split())
    if reason not in CUSTOMER_REASONS or reason not in INQUIRY_REASONS:
        raise QuestionRefused(422, _l("Choose what your question is about."))
    if not text:
        raise QuestionRefused(422, _l("Write your question."))
    if len(text) > MAX_CHARS:
        raise QuestionRefused(422, _l("Keep your question under %(n)d characters.", n=MAX_CHARS))
    if recent(order, now) >= PER_HOUR:
        raise QuestionRefused(429, _l("We already have your questions about this order; we will get back to you. "
                                      "Please try again in an hour."))
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # staff read it, not the customer
        tag = gettext("Customer, tracking page")
    entry = Inquiry(order_id=order.id, reason=reason, note=f"[{tag}] {text}"[:MAX_CHARS + 40], actor_id=None,
                    created_at=now or utcnow())
    db.session.add(entry)
    db.session.flush()
    record("inquiry", actor=None, via="web", order_no=order.order_no, new=reason, detail=f"customer: {text}")
    for fn in HOOKS:
        fn(order, entry)
    return entry
