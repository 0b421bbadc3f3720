"""How a stored order value reads (states and regions by name, money as ¥, lines without hidden money), and
whether a viewer's policy may read what an audit entry about a field reveals. Used by an order's history and
by the audit log page, so both show the same words and hide the same things."""
import json
import re
from datetime import datetime

from flask_babel import gettext as _

from webapp.core.labels import payer_label, region_label, state_label
from webapp.core.money import yuan
from webapp.core.timefmt import fmt
from webapp.vocab import LINE_MONEY

MONEY = ("discount", "shipping_fee", "total_amount", "cost_total", "profit") + LINE_MONEY
LINE_GROUPS = ("items", "lines", "line")
UNRULED = ("deleted_at", "scan")  # entry fields that reveal nothing the matrix hides (delete/restore, scans)
EVENTS = ("scan", "photo", "offline_sync")  # facts told as "who · what", without values
LINE_ACTIONS = ("line_added", "line_removed", "line_changed")
REFUSALS = ("refused", "refused_write")
MAX_VALUE = 80


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


def value_text(key: str, raw: str | None, policy) -> str:
    """Render a stored value for reading: states and regions by name, money as ¥, lines without hidden money."""
    if raw is None or raw == "":
        return "—"
    if key == "status":
        return state_label(raw)
    if key == "region":
        return region_label(raw)
    if key == "shipping_paid_by":
        return payer_label(raw)
    if key in MONEY:
        try:
            return yuan(raw)
        except ArithmeticError:
            return raw
    if key == "items":
        return line_text(raw, policy)
    if key == "outbound_at":
        try:
            return fmt(datetime.fromisoformat(raw))
        except ValueError:
            return raw
    return raw if len(raw) <= MAX_VALUE else raw[:MAX_VALUE - 1] + "…"


def line_text(raw: str, policy) -> str:
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
