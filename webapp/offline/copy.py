"""The 24-hour copy: the orders a user may see changed in the last 24 hours plus their open tasks,
shaped by the permission matrix (only readable fields ever leave the server)."""
import json
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select

from webapp.access.defaults import MATRIX_FIELDS
from webapp.access.policy import policy_for
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.orders.phones import mask_phone
from webapp.orders.serialize import json_value, order_view

WINDOW = timedelta(hours=24)
# Open work per role that stays on the device even when older than 24 hours.
COPY_LIMIT = 5000
# Bookkeeping of order_view that the device does not need (version and times go into _meta).
NOT_KEPT = ("id", "readable", "deleted_at", "version", "created_at", "updated_at", "state_changed_at")
TASK_LIMIT = 300


def shape(policy, order, task: bool = False) -> dict:
    """Return one order as the device keeps it: readable fields plus version, change time, task flag.

    The fields come from webapp.orders.serialize.order_view, the serializer every screen uses.
    """
    view = order_view(order, policy)
    record = {name: json_value(value) for name, value in view.items() if name not in NOT_KEPT}
    if order.customer_phone and "customer_phone" in view:  # lists show it masked, like the online screens
        record["phone_masked"] = mask_phone(order.customer_phone)
    changed = max(order.updated_at, order.created_at, order.state_changed_at)
    record["_meta"] = {"version": order.version, "changed_at": changed.isoformat(), "task": task}
    return record


def build_copy(user, now=None) -> dict:
    """Build the 24-hour copy for `user` (see the module docstring)."""
    now = now or utcnow()
    policy = policy_for(user)
    since = now - WINDOW
    out = {"generated_at": now.isoformat(), "since": since.isoformat(), "tz": current_app.config["ORDERHUB_TZ"],
           "user": {"id": user.id, "username": user.username}, "fields": list(policy.readable),
           "line_fields": list(policy.line_fields), "writable": [f for f in MATRIX_FIELDS if policy.can_write(f)],
           "orders": [], "tasks": []}
    if not policy.can_read("order_no"):
        return out  # nothing the device could look an order up by
    base = policy.scope_filter(select(Order).where(Order.deleted_at.is_(None)), Order)
    recent = db.session.scalars(base.where(or_(
        Order.updated_at >= since, Order.created_at >= since, Order.state_changed_at >= since))
        .order_by(Order.updated_at.desc(), Order.id.desc()).limit(COPY_LIMIT)).all()
    tasks = []
    if policy.task_states:
        tasks = db.session.scalars(base.where(Order.status.in_(policy.task_states))
                                   .order_by(Order.state_changed_at, Order.id).limit(TASK_LIMIT)).all()
    task_ids = {o.id for o in tasks}
    seen = set()
    for order in list(recent) + tasks:
        if order.id not in seen:
            seen.add(order.id)
            out["orders"].append(shape(policy, order, order.id in task_ids))
    out["tasks"] = [o.order_no for o in tasks]
    return out


def dumps(copy: dict) -> str:
    """Serialise a copy compactly (what goes over the wire)."""
    return json.dumps(copy, ensure_ascii=False, separators=(",", ":"))
