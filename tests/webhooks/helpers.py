"""Helpers for webhook tests: read deliveries and outbox rows, run delivery passes on a set clock."""
from sqlalchemy import select

from tests.notify.helpers import drain
from webapp.extensions import db
from webapp.notify.models import OutboxMessage
from webapp.webhooks.models import WebhookDelivery

__all__ = ["drain", "deliveries", "statuses"]


def deliveries(app) -> list[tuple]:
    """Return (event type, order no, outbox status, attempts, response code) of every delivery, oldest first."""
    with app.app_context():
        rows = db.session.execute(select(WebhookDelivery.event_type, WebhookDelivery.order_no, OutboxMessage.status,
                                         WebhookDelivery.attempts, WebhookDelivery.response_code)
                                  .join(OutboxMessage).order_by(WebhookDelivery.id))
        return [tuple(r) for r in rows]


def statuses(app) -> list[str]:
    """Return the outbox status of every delivery, oldest first."""
    return [row[2] for row in deliveries(app)]
