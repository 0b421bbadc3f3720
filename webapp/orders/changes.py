"""Low-level steps of the write service: the conditional update, line diffs, audit entries, conflicts.

Only webapp.orders.services calls these; they assume the caller already checked permissions.
"""
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value
from flask_babel import lazy_gettext as _l

from webapp.audit import services as audit
from webapp.audit.models import AuditEntry
from webapp.core.timefmt import fmt
from webapp.extensions import db
from webapp.orders.errors import Conflict
from webapp.core.labels import state_label
from webapp.orders.models import Order, OrderLine, OrderTransition

LINE_KEYS = ("sku", "name", "unit_price", "quantity", "unit_cost")
EDITS = ("update", "line_added", "line_removed", "line_changed", "delete", "restore")


def conditional_update(order: Order, values: dict, now, *, status: str | None = None) -> None:
    """Write values, bump version and updated_at if nobody changed the order since it was read.

    One UPDATE … WHERE id = ? AND version = ? (AND status = ?): of two concurrent writers exactly
    one matches a row; the other gets a Conflict naming who moved the order and when.
    """
    stmt = update(Order).where(Order.id == order.id, Order.version == order.version)
    if status is not None:
        stmt = stmt.where(Order.status == status)
    if "deleted_at" not in values:
        stmt = stmt.where(Order.deleted_at.is_(None))
    result = db.session.execute(stmt.values(**values, version=Order.version + 1, updated_at=now),
                                execution_options={"synchronize_session": False})
    if result.rowcount != 1:
        raise conflict(order)
    new_version = order.version + 1
    for key, value in {**values, "version": new_version, "updated_at": now}.items():
        set_committed_value(order, key, value)


def conflict(order: Order) -> Conflict:
    """Build the 409 for an order someone else changed first: who, when, and where it is now.

    The latest step comes from order_transitions, the latest other change from the audit log.
    """
    step = db.session.execute(select(OrderTransition.to_state, OrderTransition.at, OrderTransition.actor_id)
                              .where(OrderTransition.order_id == order.id)
                              .order_by(OrderTransition.id.desc()).limit(1)).first()
    last = db.session.execute(select(AuditEntry.actor_id, AuditEntry.at)
                              .where(AuditEntry.order_no == order.order_no, AuditEntry.action.in_(EDITS))
                              .order_by(AuditEntry.id.desc()).limit(1)).first()
    if step and (last is None or step.at >= last.at):
        message = _l("%(no)s was already moved to %(state)s by %(who)s at %(at)s. Reload to see it.",
                     no=order.order_no, state=state_label(step.to_state), who=_actor_name(step.actor_id),
                     at=fmt(step.at))
    else:
        message = _l("%(no)s was changed by %(who)s at %(at)s in the meantime. Reload and try again.",
                     no=order.order_no, who=_actor_name(last.actor_id) if last else "—",
                     at=fmt(last.at) if last else "")
    return Conflict(message, order_no=order.order_no)


def _actor_name(actor_id) -> str:
    if actor_id is None:
        return str(_l("the system"))
    from webapp.auth.models import User
    user = db.session.get(User, actor_id)
    return user.name if user else str(actor_id)


def line_dict(line) -> dict:
    """Return a line (row or dict) as a plain dict of its contract fields."""
    return {k: (line[k] if isinstance(line, dict) else getattr(line, k)) for k in LINE_KEYS}


def diff_lines(old_lines, new_lines) -> list[tuple]:
    """Return (action, old, new) per line added, removed or changed, matched by position and SKU."""
    old = [line_dict(ln) for ln in old_lines]
    new = [line_dict(ln) for ln in new_lines]
    out = []
    for i in range(max(len(old), len(new))):
        a, b = (old[i] if i < len(old) else None), (new[i] if i < len(new) else None)
        if a and b and a["sku"] == b["sku"]:
            if a != b:
                out.append(("line_changed", a, b))
        else:
            if a:
                out.append(("line_removed", a, None))
            if b:
                out.append(("line_added", None, b))
    return out


def replace_lines(order: Order, new_lines: list[dict]) -> None:
    """Replace the order's lines with new ones (the old rows are deleted with the change)."""
    order.lines.clear()
    db.session.flush()
    for i, ln in enumerate(new_lines):
        order.lines.append(OrderLine(position=i, **line_dict(ln)))
    db.session.flush()


def record_changes(order: Order, changes: dict, line_changes: list, actor, via: str) -> None:
    """Write one audit entry per changed field (old → new) and per line added/removed/changed."""
    for name, (old, new) in changes.items():
        audit.record("update", actor=actor, via=via, order_no=order.order_no, field=name, old=old, new=new)
    for action, old, new in line_changes:
        audit.record(action, actor=actor, via=via, order_no=order.order_no, field="items", old=old, new=new)
