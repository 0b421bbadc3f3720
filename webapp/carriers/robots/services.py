"""Robot rules: add a robot (URL and secret sealed), send a test message, list robots and their alerts.

Services take explicit arguments and never commit; views and the CLI commit once.
"""
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.audit.services import record
from webapp.auth.models import Role
from webapp.config import setting
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.vocab import REGIONS
from webapp.webhooks import keys, outbound
from webapp.webhooks.events import EVENTS

from webapp.carriers.models import Robot, RobotAlert
from webapp.carriers.robots import alerts
from webapp.carriers.robots.adapters import KINDS

ROBOT_EVENTS = EVENTS + ("carrier.problem", "customer.question")
DEFAULT_AUDIENCE = "warehouse"  # sees no amounts with the built-in matrix


class RobotError(ValueError):
    """Input that cannot make a robot, with the reason."""


def _clean(names, known, what: str) -> list[str]:
    names = [n.strip() for n in names if n and n.strip()]
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise RobotError(_("Unknown %(what)s: %(names)s (known: %(known)s)", what=what, names=", ".join(unknown),
                           known=", ".join(known)))
    return [k for k in known if k in names]


def hint(url: str) -> str:
    """Return what pages show of a robot URL: scheme, host and path, never its key or token."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}{parts.path[:40]}" + ("?…" if parts.query else "")


def add(kind: str, url: str, event_names, regions=(), *, secret: str | None = None, name: str = "",
        audience_role: str = DEFAULT_AUDIENCE, actor=None, via: str = "web") -> Robot:
    """Register a group robot; raise RobotError for an unknown kind, event, region or role, or a bad URL."""
    if kind not in KINDS:
        raise RobotError(_("Unknown robot kind %(kind)s (known: %(known)s)", kind=kind, known=", ".join(KINDS)))
    try:
        outbound.resolve(url)
    except outbound.Refused as exc:
        raise RobotError(str(exc)) from None
    chosen = _clean(event_names, ROBOT_EVENTS, _("events"))
    if not chosen:
        raise RobotError(_("Choose at least one event."))
    areas = _clean(regions, tuple(REGIONS), _("regions"))
    if db.session.get(Role, audience_role) is None:
        raise RobotError(_("Unknown role %(role)s.", role=audience_role))
    robot = Robot(kind=kind, name=(name or "").strip()[:64], url=keys.seal(url), url_hint=hint(url),
                  secret=keys.seal(secret) if secret else None, events=",".join(chosen), regions=",".join(areas),
                  audience_role=audience_role, active=True, created_at=utcnow())
    db.session.add(robot)
    db.session.flush()
    record("robot_added", actor=actor, via=via, field="robot", new=robot.url_hint,
           detail=f"kind={kind}; events={robot.events}; regions={robot.regions or 'all'}; audience={audience_role}")
    return robot


def send_test(robot: Robot) -> RobotAlert | None:
    """Queue a test message for the robot (its answer shows on the robot's page)."""
    return alerts.queue(robot, alerts.TEST_EVENT, None, shop=setting("SHOP_NAME", "") or _("our shop"))


def set_active(robot: Robot, active: bool, *, actor, via: str = "web") -> None:
    """Turn a robot on or off."""
    robot.active = active
    record("robot_enabled" if active else "robot_disabled", actor=actor, via=via, field="robot", new=robot.url_hint)


def robots() -> list[Robot]:
    """Return every robot, newest first."""
    return list(db.session.scalars(select(Robot).order_by(Robot.id.desc())))


def recent_alerts(robot: Robot, limit: int = 50) -> list[RobotAlert]:
    """Return the robot's latest alerts (with the request that carried each), newest first."""
    return list(db.session.scalars(select(RobotAlert).where(RobotAlert.robot_id == robot.id)
                                   .order_by(RobotAlert.id.desc()).limit(limit)))
