"""Endpoint health: track how long an endpoint has been failing; after 24 h disable it and alert admins.

The alert is an audit entry, a banner on /admin/webhooks (any disabled endpoint) and a web push to
every active user who may open the admin console and has a device, queued through the notify outbox.
"""
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from webapp.access.policy import policy_for
from webapp.audit.services import record
from webapp.auth.models import User
from webapp.extensions import db
from webapp.notify import outbox
from webapp.notify.services import has_devices
from webapp.webhooks.models import WebhookEndpoint

DISABLE_AFTER = timedelta(hours=24)


def admins() -> list[User]:
    """Return the active users whose policy opens the admin console."""
    users = db.session.scalars(select(User).where(User.is_active_user.is_(True)).order_by(User.id))
    return [u for u in users if policy_for(u).can("admin_console")]


def succeeded(endpoint: WebhookEndpoint) -> None:
    """Forget an endpoint's failing streak (the caller commits)."""
    endpoint.failing_since = None


def failed(endpoint: WebhookEndpoint, now: datetime, error: str) -> bool:
    """Note a failed delivery; disable the endpoint once it has failed for 24 h. Return True if disabled now."""
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        return False
    if now - endpoint.failing_since < DISABLE_AFTER:
        return False
    return set_active(endpoint, False, now, reason=error, actor=None, via="system")


def set_active(endpoint: WebhookEndpoint, active: bool, now: datetime, *, reason: str = "", actor=None,
               via: str = "web") -> bool:
    """Disable or enable an endpoint (only the caller that flips it records and alerts); the caller commits."""
    values = ({"active": True, "disabled_at": None, "disabled_reason": "", "failing_since": None} if active
              else {"active": False, "disabled_at": now, "disabled_reason": reason[:255]})
    flipped = db.session.execute(
        update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint.id, WebhookEndpoint.active.is_(not active))
        .values(**values).execution_options(synchronize_session="fetch")).rowcount == 1
    if flipped:
        record("webhook_enabled" if active else "webhook_disabled", actor=actor, via=via, field="webhook",
               new=endpoint.url, detail=reason[:500])
        if not active and actor is None:
            _alert(endpoint, now)
    return flipped


def _alert(endpoint: WebhookEndpoint, now: datetime) -> None:
    """Queue a web push to every admin with a device: the endpoint was disabled after a day of failures."""
    for user in admins():
        if not has_devices(user):
            continue
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            payload = {"topic": "webhook_disabled", "url": f"/admin/webhooks/{endpoint.id}",
                       "title": _("Webhook disabled after 24 hours of failures"), "body": endpoint.url}
        outbox.enqueue(f"webhook_disabled:{endpoint.id}:{now.isoformat()}:{user.id}", "push", "webhook_disabled",
                       payload, user_id=user.id, urgency="high")
