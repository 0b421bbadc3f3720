"""An order's history as readable sentences, showing only what the viewer's policy may read."""
import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.vocab import LINE_MONEY
from webapp.access.labels import field_label
from webapp.access.values import MONEY, matrix_key, may_read, value_text  # noqa: F401  (MONEY: said here too)
from webapp.access.values import EVENTS, LINE_ACTIONS, REFUSALS, line_text
from webapp.audit.labels import action_label
from webapp.core.labels import via_label
from webapp.audit.models import AuditEntry
from webapp.auth.models import User
from webapp.core.timefmt import fmt
from webapp.extensions import db


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
    old, new = line_text(entry.old or "", policy), line_text(entry.new or "", policy)
    if entry.action == "line_added":
        return _("%(actor)s added the line %(line)s", actor=actor, line=new)
    if entry.action == "line_removed":
        return _("%(actor)s removed the line %(line)s", actor=actor, line=old)
    return _("%(actor)s changed the line %(old)s to %(new)s", actor=actor, old=old, new=new)


