"""Push the admins when someone keeps guessing an account's password (one push per alert, through the outbox)."""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from webapp.auth.throttle import ALERT_ACTION
from webapp.notify import outbox
from webapp.notify.routing import holders
from webapp.notify.services import has_devices

CONSOLE = "admin_console"


def push_admins(entry, username: str, failures: int) -> None:
    """Queue one push per holder of the admin console right with a device, keyed by the alert's audit entry.

    The throttle raises at most one alert an hour per account, so an attack brings one push an hour, not
    one per guess; the key makes a replay of the same alert write nothing.
    """
    for admin in holders(CONSOLE):
        if not has_devices(admin):
            continue
        with force_locale(admin.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            payload = {"topic": ALERT_ACTION, "url": "/admin",
                       "title": _("Password guessing against %(user)s", user=username),
                       "body": _("%(count)s failed logins in the last hour. Devices that logged in before are not "
                                 "slowed down.", count=failures)}
        outbox.enqueue(f"{ALERT_ACTION}:{entry.id}:{admin.id}", "push", ALERT_ACTION, payload, user_id=admin.id,
                       urgency="high", ttl=3600)
