"""Which robots hear an order event, and the short markdown each is sent (queued in the change's transaction).

The event names come from webapp.webhooks.events (one mapping for webhooks and robots). A robot
hears an event when it subscribed to it and the order's region is one of its regions (or it has
none). What the message shows is what the robot's audience role may read of the order.
"""
import uuid

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.access.policy import Policy, role_policy
from webapp.core.labels import region_label, state_label
from webapp.core.money import yuan
from webapp.extensions import db
from webapp.notify import outbox
from webapp.orders.hooks import OrderEvent
from webapp.orders.serialize import order_view
from webapp.core.origin import base_url
from webapp.webhooks.events import event_types

from webapp.carriers.models import Robot, RobotAlert

TEST_EVENT = "robot.test"
MEDIUM = "robot"


def audience(robot: Robot) -> Policy:
    """Return the policy of the robot's audience role (all rows: the robot's regions filter them)."""
    levels, _scope = role_policy(robot.audience_role)
    return Policy(robot.audience_role, levels, "all")


def robots_for(event_type: str, region: str | None) -> list[Robot]:
    """Return the active robots subscribed to event_type whose regions include the order's region."""
    found = db.session.scalars(select(Robot).where(Robot.active.is_(True)).order_by(Robot.id))
    return [r for r in found if event_type in r.event_list and (not r.region_list or region in r.region_list)]


def _headline(event_type: str, no: str, extra: dict) -> str:
    titles = {
        "order.created": lambda: _("New order %(no)s", no=no),
        "order.updated": lambda: _("Order %(no)s changed", no=no),
        "order.status_changed": lambda: _("Order %(no)s: %(step)s", no=no, step=" → ".join(
            state_label(extra.get(k, "")) for k in ("from_state", "to_state"))),
        "order.shipped": lambda: _("Order %(no)s shipped", no=no),
        "order.awaiting_approval": lambda: _("Order %(no)s waits for approval", no=no),
        "order.overdue": lambda: _("Overdue: order %(no)s has had no step for too long", no=no),
        "carrier.problem": lambda: _("Delivery problem: order %(no)s (%(what)s)", no=no, what=extra.get("what", "")),
        "customer.question": lambda: _("Customer question on order %(no)s", no=no),
        TEST_EVENT: lambda: _("Test message from %(shop)s", shop=extra.get("shop", "")),
    }
    return str(titles.get(event_type, lambda: f"{event_type} {no}")())


def compose(robot: Robot, event_type: str, order, **extra) -> tuple[str, str, str]:
    """Return (title, markdown text, digest line) for one event, in the default language."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        if order is None:
            title = _headline(event_type, "", extra)
            return title, f"**{title}**\n{_('The robot is set up correctly.')}", title
        view = order_view(order, audience(robot), with_lines=False)
        title = _headline(event_type, order.order_no, extra)
        link = f"{base_url()}/orders/{order.order_no}"
        facts = [region_label(order.region), state_label(view["status"]) if "status" in view else ""]
        if "customer_name" in view:
            facts.append(view["customer_name"])
        if "total_amount" in view:
            facts.append(yuan(view["total_amount"]))
        facts = [f for f in facts if f]
        text = f"**{title}**\n" + "".join(f"> {f}\n" for f in facts) + f"[{_('Open order')}]({link})"
        line = f"- [{order.order_no}]({link}) {title}" + (f" · {' · '.join(facts)}" if facts else "")
        return title[:120], text, line[:500]


def queue(robot: Robot, event_type: str, order, key: str | None = None, **extra) -> RobotAlert | None:
    """Write one alert for one robot into the outbox; a key already written is skipped."""
    title, text, line = compose(robot, event_type, order, **extra)
    message_id = outbox.enqueue(key or f"robot:{robot.id}:{uuid.uuid4().hex}", MEDIUM, event_type,
                                {"robot": robot.id}, order_id=getattr(order, "id", None))
    if message_id is None:
        return None
    alert = RobotAlert(robot_id=robot.id, message_id=message_id, event_type=event_type,
                       order_id=getattr(order, "id", None), order_no=getattr(order, "order_no", ""),
                       title=title, text=text, line=line)
    db.session.add(alert)
    db.session.flush()
    return alert


def on_order_change(event: OrderEvent) -> None:
    """Queue the alerts an order change raises for every robot that hears them."""
    if event.order is None or event.kind in ("deleted", "restored"):
        return
    extra = {"from_state": event.from_state, "to_state": event.to_state} if event.kind == "transition" else {}
    for event_type in event_types(event):
        for robot in robots_for(event_type, event.order.region):
            queue(robot, event_type, event.order, **extra)


def on_overdue(order, now) -> None:
    """Queue order.overdue for the robots that hear it (once per breach: the alarm calls this once)."""
    for robot in robots_for("order.overdue", order.region):
        queue(robot, "order.overdue", order, key=f"robot:{robot.id}:overdue:{order.id}:{now.isoformat()}")


def raise_event(event_type: str, order, key: str, **extra) -> int:
    """Queue a domain event (e.g. carrier.problem) for robots that hear it; return how many were queued."""
    return sum(queue(robot, event_type, order, key=f"{key}:{robot.id}", **extra) is not None
               for robot in robots_for(event_type, order.region))


def on_customer_question(order, inquiry) -> int:
    """Tell the robots that hear customer.question (the support group) about a question from the tracking page."""
    return raise_event("customer.question", order, key=f"robot:question:{inquiry.id}")
