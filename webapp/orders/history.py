"""An order's history as readable sentences, showing only what the viewer's policy may read."""
import json
import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.vocab import LINE_MONEY
from webapp.access.labels import field_label
from webapp.audit.labels import action_label
from webapp.core.labels import via_label
from webapp.audit.models import AuditEntry
from webapp.auth.models import User
from webapp.core.money import yuan
from webapp.core.timefmt import fmt
from webapp.extensions import db
from webapp.core.labels import region_label, state_label

MONEY = ("discount", "shipping_fee", "total_amount", "cost_total", "profit") + LINE_MONEY
LINE_GROUPS = ("items", "lines", "line")
UNRULED = ("deleted_at", "scan")  # entry fields that reveal nothing the matrix hides (delete/restore, scans)
EVENTS = ("scan", "photo", "offline_sync")  # facts told as "who · what", without values
LINE_ACTIONS = ("line_added", "line_removed", "line_changed")
REFUSALS = ("refused", "refused_write")
MAX_VALUE = 80


@dataclass(frozen=True)
class HistoryItem:
    """One line of the timeline."""

    id: int
    at: datetime
    time_text: str
    actor: str
    via: str
    via_text: str
    action: str
    text: str


def matrix_key(entry_field: str | None) -> str | None:
    """Return the matrix key that rules an entry's field ("items.2.unit_cost" → "unit_cost")."""
    if not entry_field or entry_field in UNRULED:
        return None
    base = re.split(r"[.\[:]", entry_field)[0]
    if base in LINE_GROUPS:
        return next((k for k in LINE_MONEY if k in entry_field), "items")
    return base


def may_read(policy, key: str | None) -> bool:
    """Say whether the policy may read what an entry about `key` reveals."""
    if key is None:
        return True
    if key in LINE_MONEY:
        return policy.can_read("items") and policy.can_read(key)
    return policy.can_read(key)


def history_for(order_no: str, policy, limit: int = 300) -> list[HistoryItem]:
    """Return the order's entries, oldest first, as sentences; entries about unreadable fields are left out."""
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.order_no == order_no)
                                 .order_by(AuditEntry.id).limit(limit)).all()
    names = _display_names({e.actor_id for e in entries if e.actor_id})
    items = []
    for entry in entries:
        key = None if entry.action in REFUSALS else matrix_key(entry.field)
        if not may_read(policy, key):
            continue
        actor = names.get(entry.actor_id) or (via_label("system") if entry.actor == "system" else entry.actor)
        items.append(HistoryItem(entry.id, entry.at, fmt(entry.at, "%m-%d %H:%M"), actor, entry.via,
                                 via_label(entry.via), entry.action, sentence(entry, key, actor, policy)))
    return items


def _display_names(ids) -> dict:
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def sentence(entry: AuditEntry, key: str | None, actor: str, policy) -> str:
    """Build the readable sentence for one entry."""
    if entry.action in REFUSALS:
        fields = [f for f in re.split(r"[,\s]+", entry.field or "") if f and may_read(policy, matrix_key(f))]
        # the refusal's detail may quote values; only the (readable) field names are shown
        return _("%(actor)s tried to change %(fields)s — refused", actor=actor,
                 fields="、".join(field_label(matrix_key(f)) for f in fields) or "—")
    if entry.action == "create":
        return _("%(actor)s created the order", actor=actor)
    if key is None or entry.action in EVENTS:
        return f"{actor} · {action_label(entry.action)}"
    if entry.action in LINE_ACTIONS:
        return _line_sentence(entry, actor, policy)
    label = field_label(key if key not in LINE_MONEY else "items")
    old, new = value_text(key, entry.old, policy), value_text(key, entry.new, policy)
    if entry.old in (None, "", "[]"):
        return _("%(actor)s set %(field)s to %(new)s", actor=actor, field=label, new=new)
    if entry.new in (None, "", "[]"):
        return _("%(actor)s removed %(field)s (was %(old)s)", actor=actor, field=label, old=old)
    return _("%(actor)s changed %(field)s from %(old)s to %(new)s", actor=actor, field=label, old=old, new=new)


def _line_sentence(entry: AuditEntry, actor: str, policy) -> str:
    old, new = _line_text(entry.old or "", policy), _line_text(entry.new or "", policy)
    if entry.action == "line_added":
        return _("%(actor)s added the line %(line)s", actor=actor, line=new)
    if entry.action == "line_removed":
        return _("%(actor)s removed the line %(line)s", actor=actor, line=old)
    return _("%(actor)s changed the line %(old)s to %(new)s", actor=actor, old=old, new=new)


def value_text(key: str, raw: str | None, policy) -> str:
    """Render a stored value for reading: states and regions by name, money as ¥, lines without hidden money."""
    if raw is None or raw == "":
        return "—"
    if key == "status":
        return state_label(raw)
    if key == "region":
        return region_label(raw)
    if key in MONEY:
        try:
            return yuan(raw)
        except ArithmeticError:
            return raw
    if key == "items":
        return _line_text(raw, policy)
    if key == "outbound_at":
        try:
            return fmt(datetime.fromisoformat(raw))
        except ValueError:
            return raw
    return raw if len(raw) <= MAX_VALUE else raw[:MAX_VALUE - 1] + "…"


def _line_text(raw: str, policy) -> str:
    if not raw:
        return "—"
    try:
        value = json.loads(raw)
    except ValueError:
        return raw[:MAX_VALUE]
    lines = value if isinstance(value, list) else [value]
    parts = []
    for line in lines:
        if not isinstance(line, dict):
            parts.append(str(line))
            continue
        text = f"{line.get('name') or line.get('sku', '')} × {line.get('quantity', '?')}"
        if "unit_price" in line and may_read(policy, "unit_price"):
            text += f" @ {yuan(line['unit_price'])}"
        if "unit_cost" in line and may_read(policy, "unit_cost"):
            text += " (" + _("cost %(c)s", c=yuan(line["unit_cost"])) + ")"
        parts.append(text)
    return "；".join(parts) or "—"
