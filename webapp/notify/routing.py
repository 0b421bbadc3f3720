"""Who hears about what, and what each recipient's notification may say (their policy decides)."""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.access.policy import policy_for, roles_with
from webapp.auth.models import Region, Role, User
from webapp.core.money import yuan
from webapp.extensions import db
from webapp.core.labels import region_label, state_label
from webapp.orders.serialize import json_value, order_view

# Order fields a notification may carry, each only when the recipient's policy may read it.
PAYLOAD_FIELDS = ("order_no", "status", "customer_name", "region", "total_amount", "profit",
                  "carrier", "tracking_no")
HIGH = "high"


def active_users(*roles: str) -> list[User]:
    """Return the active users holding any of these roles."""
    return list(db.session.scalars(select(User).where(User.role_code.in_(roles),
                                                      User.is_active_user.is_(True)).order_by(User.id)))


def warehouse_of(region: str | None) -> list[User]:
    """Return the active users of warehouse-home roles responsible for a region."""
    if not region:
        return []
    return list(db.session.scalars(
        select(User).join(User.role).where(Role.home == "warehouse", User.is_active_user.is_(True),
                                           User.regions.any(Region.code == region)).order_by(User.id)))


def holders(action: str) -> list[User]:
    """Return the active users whose role holds a matrix action (approve, alert_overdue …)."""
    return active_users(*roles_with(action))


def approvers() -> list[User]:
    """Return the users who may approve orders (their role holds the `approve` action)."""
    return holders("approve")


_approval_audience = None  # set by the approvals domain: order → who this module should tell


def register_approval_audience(fn) -> None:
    """Let the approvals domain say who hears that an order waits for approval (its chain's first level)."""
    global _approval_audience
    _approval_audience = fn


def approval_audience(order) -> list[User]:
    """Return whom to push when an order starts waiting for approval (every approver unless told otherwise)."""
    return approvers() if _approval_audience is None else _approval_audience(order)


def payload_for(user: User, order, topic: str, **extra) -> dict | None:
    """Build what `user` is told about `order`: only fields their policy reads; None if out of scope."""
    policy = policy_for(user)
    if not policy.can_see(order):
        return None
    view = order_view(order, policy, with_lines=False)
    fields = {name: json_value(view[name]) for name in PAYLOAD_FIELDS if name in view}
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        title = _title(topic, fields, extra)
        body = _body(fields)
    return {"topic": topic, "title": title, "body": body, "order": fields,
            "url": f"/orders/{order.order_no}" if "order_no" in fields else "/", **extra}


def _title(topic: str, fields: dict, extra: dict) -> str:
    no = fields.get("order_no", "")
    titles = {
        "order_confirmed": lambda: _("New order to pack: %(no)s", no=no),
        "approval_needed": lambda: _("Order %(no)s waits for your approval", no=no),
        "state_changed": lambda: _("Order %(no)s is now %(state)s", no=no,
                                   state=state_label(fields.get("status", ""))),
        "overdue": lambda: _("Overdue: %(no)s has had no step for %(hours)s hours", no=no,
                             hours=extra.get("hours", "")),
        "overdue_escalated": lambda: _("Still overdue: %(no)s untouched for %(hours)s hours", no=no,
                                       hours=extra.get("hours", "")),
    }
    return str(titles.get(topic, lambda: no)())


def _body(fields: dict) -> str:
    parts = []
    if "status" in fields:
        parts.append(state_label(fields["status"]))
    if "region" in fields:
        parts.append(region_label(fields["region"]))
    if "customer_name" in fields:
        parts.append(fields["customer_name"])
    if "total_amount" in fields:
        parts.append(yuan(fields["total_amount"]))
    return " · ".join(p for p in parts if p)


def push_recipients(event) -> dict[int, tuple]:
    """Map user id → (user, topic, urgency) for an order event (never the actor themself)."""
    order, target = event.order, event.to_state
    if event.kind == "created":
        target = order.status
    elif event.kind != "transition":
        return {}
    chosen: dict[int, tuple] = {}

    def add(users, topic, urgency="normal"):
        for user in users:
            chosen.setdefault(user.id, (user, topic, urgency))

    if target == "confirmed":
        add(warehouse_of(order.region), "order_confirmed")
    if target == "awaiting_approval":
        add(approval_audience(order), "approval_needed")
    if event.kind == "transition" and order.salesperson is not None and order.salesperson.is_active:
        add([order.salesperson], "state_changed")
    actor_id = getattr(event.actor, "id", None)
    chosen.pop(actor_id, None)
    return chosen
