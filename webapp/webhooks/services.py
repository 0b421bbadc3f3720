"""Webhook rules: register an endpoint, rotate its secret, send a test event, redeliver, list deliveries.

Services take explicit arguments and never commit; views and the CLI commit once.
"""
import json
import uuid
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.audit.services import record
from webapp.auth.models import User
from webapp.core import outbound
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.webhooks import events, keys
from webapp.webhooks.health import set_active
from webapp.webhooks.models import WebhookDelivery, WebhookEndpoint

ROTATION_OVERLAP = timedelta(hours=24)


class WebhookError(ValueError):
    """Input that cannot make or change an endpoint, with the reason."""


def clean_events(names) -> list[str]:
    """Return the event types asked for, in contract order; raise WebhookError on unknown or none."""
    names = [n.strip() for n in names if n and n.strip()]
    unknown = sorted(set(names) - set(events.EVENTS))
    if unknown:
        raise WebhookError(_("Unknown events: %(names)s (known: %(known)s)", names=", ".join(unknown),
                             known=", ".join(events.EVENTS)))
    if not names:
        raise WebhookError(_("Choose at least one event."))
    return [e for e in events.EVENTS if e in names]


def create(url: str, event_names, username: str, *, actor=None, via: str = "web") -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; return it and its signing secret (shown once, stored encrypted)."""
    try:
        outbound.resolve(url)
    except outbound.Refused as exc:
        raise WebhookError(str(exc)) from None
    chosen = clean_events(event_names)
    user = db.session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None or not user.is_active_user:
        raise WebhookError(_("No active user %(name)s.", name=username))
    secret = keys.new_secret()
    endpoint = WebhookEndpoint(url=url, events=",".join(chosen), user_id=user.id, secret=keys.seal(secret),
                               active=True, created_at=utcnow())
    db.session.add(endpoint)
    db.session.flush()
    record("webhook_created", actor=actor, via=via, field="webhook", new=url,
           detail=f"events={endpoint.events}; user={user.username}")
    return endpoint, secret


def rotate(endpoint: WebhookEndpoint, *, actor=None, via: str = "web") -> str:
    """Give the endpoint a new secret; the old one keeps signing beside it for 24 h. Return the new one."""
    secret = keys.new_secret()
    endpoint.previous_secret, endpoint.previous_until = endpoint.secret, utcnow() + ROTATION_OVERLAP
    endpoint.secret = keys.seal(secret)
    record("webhook_rotated", actor=actor, via=via, field="webhook", new=endpoint.url)
    return secret


def send_test(endpoint: WebhookEndpoint) -> WebhookDelivery | None:
    """Queue a webhook.test event for the endpoint."""
    return events.queue(endpoint, events.TEST_EVENT, None, {"test": True})


def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """Queue the same event again (same webhook-id and body) as a new delivery."""
    if delivery.message.status not in ("sent", "failed", "skipped"):
        raise WebhookError(_("This delivery is still under way."))
    endpoint = db.session.get(WebhookEndpoint, delivery.endpoint_id)
    if not endpoint.active:
        raise WebhookError(_("Enable the endpoint first."))
    body = json.loads(delivery.message.payload)["body"]
    return events.write(endpoint, delivery.event_type, body, delivery.event_id, order_id=delivery.order_id,
                        order_no=delivery.order_no,
                        key=f"webhook:{endpoint.id}:{delivery.event_id}:again:{uuid.uuid4().hex[:8]}")


def enable(endpoint: WebhookEndpoint, active: bool, *, actor, via: str = "web") -> bool:
    """Turn an endpoint on or off by hand."""
    return set_active(endpoint, active, utcnow(), actor=actor, via=via)


def endpoints() -> list[WebhookEndpoint]:
    """Return every endpoint, newest first."""
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id.desc())))


def deliveries(endpoint: WebhookEndpoint, limit: int = 50) -> list[WebhookDelivery]:
    """Return the endpoint's latest deliveries, newest first."""
    return list(db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
                                   .order_by(WebhookDelivery.id.desc()).limit(limit)))
