"""The audit log as people read it: display names, translated field, state and level names, money as ¥,
no hashes and no raw JSON. `audit export` keeps the raw entries; this shapes only what a page shows,
through the viewer's policy: a value of a field the viewer may not read is left out, a phone is masked.
"""
import json
import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.access.labels import field_label, home_label, level_label, scope_label
from webapp.audit.labels import action_label
from webapp.auth.models import Role, User
from webapp.core.labels import channel_label, via_label
from webapp.core.timefmt import fmt
from webapp.extensions import db
from webapp.access.values import MONEY, matrix_key, may_read, value_text
from webapp.core.phones import local_display, mask_phone
from webapp.vocab import ACTIONS, ORDER_FIELDS

HIDDEN = _l("(hidden)")
ENTITY_LABELS = {
    "user": _l("User"), "user.role": _l("Role"), "user.regions": _l("Regions"), "user.display_name": _l("Name"),
    "user.active": _l("Active"), "user.password": _l("Password"), "user.totp": _l("Authenticator app"),
    "role": _l("Role"), "api_token": _l("API token"), "webhook": _l("Webhook"), "robot": _l("Group robot"),
    "approval": _l("Approval"), "delegation": _l("Delegation"), "risk": _l("Risk hold"),
    "blocked_phone": _l("Blocked phone"), "tracking_link": _l("Tracking link"), "outbox": _l("Outbox"),
    "backup": _l("Backup"), "scan": _l("Label scan"), "channel": _l("Channel"), "product": _l("Product"),
    "active": _l("Active"), "scope": _l("Row scope"), "home": _l("Home screen"),
}
DETAIL_KEYS = {"user": _l("User"), "role": _l("Role"), "ip": "IP", "token": _l("API token"),
               "copy_of": _l("Copied from"), "method": _l("Method")}
METHODS = {"password": _l("Password"), "totp": _l("Authenticator app")}
TECHNICAL = ("counter",)  # one-time-code counters mean nothing to a reader
KEY_VALUE = re.compile(r"\b([a-z_]+)=(\S+)")
LONG_HEX = re.compile(r"\b[0-9a-f]{24,}\b")
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
SCAN_METHODS = {"camera": _l("camera"), "photo": _l("photo of the label"), "url": _l("label link"),
                "typed": _l("typed in")}
ROLE_FIELD = re.compile(r"^([a-z0-9_]+)\.(.+)$")
MAX_TEXT = 400
# Values of an order snapshot in the order people read an order: who, where, what, money, fulfilment.
FIELD_ORDER = {name: i for i, name in enumerate(("status",) + ORDER_FIELDS)}


@dataclass(frozen=True)
class LogRow:
    """One audit entry as the log page shows it."""

    id: int
    at: datetime
    actor: str
    via: str
    action: str
    order_no: str
    field: str
    old: str
    new: str
    detail: str


class Names:
    """Display names of users (by id and by username) and roles, loaded once per page."""

    def __init__(self, entries):
        ids = {e.actor_id for e in entries if e.actor_id}
        self.by_id = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()) \
            if ids else {}
        self.by_username = dict(db.session.execute(select(User.username, User.display_name)).all())
        lang = "en" if str(get_locale() or "zh_CN").startswith("en") else "zh"
        self.roles = {r.code: r.label(lang) for r in db.session.scalars(select(Role))}

    def actor(self, entry) -> str:
        if entry.actor_id and self.by_id.get(entry.actor_id):
            return self.by_id[entry.actor_id]
        return via_label("system") if entry.actor == "system" else entry.actor

    def user(self, value) -> str:
        """A user named by username or id, by display name."""
        text = str(value)
        if text.isdigit():
            return self.by_id.get(int(text)) or _user_by_id(int(text)) or text
        return self.by_username.get(text) or text

    def role(self, code: str) -> str:
        return self.roles.get(code, code)


def _user_by_id(user_id: int) -> str | None:
    return db.session.scalar(select(User.display_name).where(User.id == user_id))


def username_of(actor: str) -> str:
    """Return the username the log filter looks for: the log shows display names, so people type those too."""
    if not actor or db.session.scalar(select(User.id).where(User.username == actor.lower())):
        return actor
    return db.session.scalar(select(User.username).where(User.display_name == actor).limit(1)) or actor


def rows(entries, policy) -> list[LogRow]:
    """Return the entries as rows to read, for a viewer with `policy`."""
    names = Names(entries)
    return [row(entry, policy, names) for entry in entries]


def row(entry, policy, names: Names) -> LogRow:
    """Return one entry as a row to read."""
    label, old, new = _field_and_values(entry, policy, names)
    return LogRow(entry.id, entry.at, names.actor(entry), via_label(entry.via), action_label(entry.action),
                  entry.order_no or "", label, old, new, detail_text(entry, names))


def _field_and_values(entry, policy, names: Names) -> tuple[str, str, str]:
    field = entry.field or ""
    if entry.action == "refused_write":
        keys = [matrix_key(f) for f in re.split(r"[,\s]+", field) if f]
        return "、".join(field_label(k) for k in keys if k), "", ""
    role_cell = ROLE_FIELD.match(field) if entry.action in ("permission_changed", "scope_changed",
                                                            "home_changed") else None
    if role_cell:
        return _role_cell(role_cell.group(1), role_cell.group(2), entry, names)
    if entry.order_no and entry.action not in ("scan", "photo", "approval_requested", "approval_restarted") \
            and not field.startswith(("case", "approval", "tracking", "risk")):
        key = matrix_key(field) if field else None
        return (field_label(key) if key else ""), value(key, entry.old, policy, names), value(key, entry.new, policy,
                                                                                               names)
    return _entity_label(field, names), value(None, entry.old, policy, names), value(None, entry.new, policy, names)


def _role_cell(role: str, key: str, entry, names: Names) -> tuple[str, str, str]:
    if key == "scope":
        fmt = scope_label
    elif key == "home":
        fmt = home_label
    else:
        fmt = (lambda level: level_label(level, action=key in ACTIONS))  # noqa: E731
    label = f"{names.role(role)} · " + (field_label(key) if key not in ("scope", "home") else str(ENTITY_LABELS[key]))
    return label, fmt(entry.old) if entry.old else "", fmt(entry.new) if entry.new else ""


def _entity_label(field: str, names: Names) -> str:
    if field.startswith("product:"):
        return f"{ENTITY_LABELS['product']} {field.split(':', 1)[1]}"
    if field in ENTITY_LABELS:
        return str(ENTITY_LABELS[field])
    return field_label(matrix_key(field)) if field else ""


def value(key: str | None, raw, policy, names: Names) -> str:
    """Render a stored value for reading; JSON objects and lists become labelled text."""
    if raw is None or raw == "":
        return ""
    if key and key != "customer_phone" and not may_read(policy, key):
        return str(HIDDEN)
    if isinstance(raw, str) and raw[:1] in "{[":
        try:
            return _clip(structured(json.loads(raw), policy, names, key))
        except ValueError:
            pass
    return _clip(scalar(key, raw, policy, names))


def scalar(key: str | None, raw, policy, names: Names) -> str:
    """Render one value of a field: phone masked where not readable, hidden fields hidden, names for ids."""
    if raw is None or raw == "":
        return ""
    raw = raw if isinstance(raw, str) else (json.dumps(raw, ensure_ascii=False) if isinstance(raw, (dict, list))
                                            else str(raw))
    if key == "customer_phone":
        return local_display(raw) if policy.can_read("customer_phone") else mask_phone(raw)
    if key and not may_read(policy, key):
        return str(HIDDEN)
    if key == "salesperson":
        return names.user(raw)
    if key == "channel":
        return channel_label(raw)
    if key in ("active",):
        return _("yes") if raw in ("true", "True", "1") else _("no")
    if key == "scan":
        return str(SCAN_METHODS.get(raw, raw))
    if key and (key in MONEY or key in FIELD_ORDER):  # states, regions, payers, money, lines, times
        return value_text(key, raw, policy)
    if LONG_HEX.fullmatch(raw):
        return ""  # a content hash (photos, files) means nothing to a reader; the export keeps it
    if ISO_TIME.match(raw):
        try:
            return fmt(datetime.fromisoformat(raw))
        except ValueError:
            return raw
    return LONG_HEX.sub(lambda m: m.group(0)[:8] + "…", raw)


def structured(data, policy, names: Names, key: str | None = None) -> str:
    """Render a decoded JSON value (an order snapshot, a product, a rule, lines) as labelled text."""
    if isinstance(data, dict):
        if {"sku", "quantity"} <= set(data):
            return _line(data, policy)
        parts = []
        for name, item in sorted(data.items(), key=lambda kv: FIELD_ORDER.get(kv[0], len(FIELD_ORDER))):
            if item in (None, "", [], {}):
                continue
            if name == "items" and isinstance(item, list):
                text = "；".join(_line(_decoded(x), policy) for x in item)
            elif isinstance(item, (dict, list)):
                text = structured(item, policy, names)
            else:
                text = scalar(name, str(item), policy, names)
            if text != str(HIDDEN):
                parts.append(f"{field_label(name)}: {text}")
        return " · ".join(parts)
    if isinstance(data, list):
        return "；".join(structured(_decoded(x), policy, names, key) if isinstance(_decoded(x), (dict, list))
                        else scalar(key, str(x), policy, names) for x in data)
    return scalar(key, str(data), policy, names)


def _decoded(item):
    if isinstance(item, str) and item[:1] == "{":
        try:
            return json.loads(item)
        except ValueError:
            return item
    return item


def _line(line, policy) -> str:
    if not isinstance(line, dict):
        return str(line)
    text = f"{line.get('name') or line.get('sku', '')} × {line.get('quantity', '?')}"
    if line.get("unit_price") is not None and may_read(policy, "unit_price"):
        text += " @ " + value_text("unit_price", str(line["unit_price"]), policy)
    if line.get("unit_cost") is not None and may_read(policy, "unit_cost"):
        text += " (" + _("cost %(c)s", c=value_text("unit_cost", str(line["unit_cost"]), policy)) + ")"
    return text


def detail_text(entry, names: Names) -> str:
    """Render an entry's detail: "user=…", "role=…" as names; a refusal as its message only."""
    detail = entry.detail or ""
    if entry.action == "refused_write":
        detail = re.sub(r"^[a-z_]+: ", "", detail)
        return _clip(re.sub(r"\s*\[[^\]]*\]$", "", detail))
    parts = []
    for part in [p.strip() for p in detail.split(";") if p.strip()]:
        pairs = KEY_VALUE.findall(part)
        if not pairs or KEY_VALUE.sub("", part).strip():
            parts.append(part)  # free text (a reason, a customer's words) as it was written
            continue
        parts.extend(_pair(name, rest, names) for name, rest in pairs if name not in TECHNICAL)
    return _clip(LONG_HEX.sub(lambda m: m.group(0)[:8] + "…", " · ".join(p for p in parts if p)))


def _pair(name: str, rest: str, names: Names) -> str:
    if name not in DETAIL_KEYS:
        return f"{name}={rest}"
    if name == "user":
        shown = names.user(rest)
    elif name in ("role", "copy_of"):
        shown = names.role(rest)
    else:
        shown = str(METHODS.get(rest, rest)) if name == "method" else rest
    return f"{DETAIL_KEYS[name]}: {shown}"


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"
