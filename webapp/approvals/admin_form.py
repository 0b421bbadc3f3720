"""Read the Admin → Approval rules form into a rule's values, refusing what cannot work (RuleError).

Levels are typed in order, comma-separated: `role:manager`, `user:zhang`, and `all role:finance`
when every member of the level must approve (otherwise one of them is enough).
"""
import json
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from webapp.approvals import rules
from webapp.approvals.conditions import has_condition, split_codes
from webapp.vocab import CHANNELS, REGIONS

ALL_PREFIX = "all "


def parse_levels(text: str) -> list[dict]:
    """Read `role:manager, all role:finance, user:zhang` into levels; refuse what check_levels refuses."""
    levels = []
    for part in (p.strip() for p in (text or "").replace("，", ",").split(",")):
        if not part:
            continue
        every = part.lower().startswith(ALL_PREFIX)
        kind, _sep, name = part[len(ALL_PREFIX):].strip().partition(":") if every else part.partition(":")
        if kind.strip() not in ("role", "user") or not name.strip():
            raise rules.RuleError(_l("Each level names a role or a user."))
        levels.append({kind.strip(): name.strip(), **({"all": True} if every else {})})
    rules.check_levels(levels)
    return levels


def format_levels(rule) -> str:
    """Write a rule's levels back as the form shows them."""
    return ", ".join((ALL_PREFIX if lv.get("all") else "") + f"{k}:{v}"
                     for lv in rule.levels for k, v in lv.items() if k != "all")


def _number(text: str, field, upper: Decimal | None = None):
    """Read an optional non-negative number (at most `upper`)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise rules.RuleError(_l("%(field)s is not a number.", field=field)) from None
    if not value.is_finite() or value < 0 or (upper is not None and value > upper):
        raise rules.RuleError(_l("%(field)s is out of range.", field=field))
    return value


def _codes(values: list[str], known, field) -> str:
    """Join chosen codes, refusing any the vocabulary does not know."""
    codes = split_codes(values)
    if any(c not in known for c in codes):
        raise rules.RuleError(_l("%(field)s names an unknown value.", field=field))
    return ",".join(codes)


def read(form) -> dict:
    """Return the rule's new values from the form (a MultiDict); raise RuleError on bad input."""
    levels = parse_levels(form.get("levels", ""))
    try:
        hours = int(form.get("escalate_hours") or rules.DEFAULT_ESCALATE_HOURS)
    except ValueError:
        hours = 0
    if not 1 <= hours <= 168:
        raise rules.RuleError(_l("Escalation hours are 1 to 168."))
    values = {
        "min_goods": _number(form.get("min_goods"), _l("Goods value from")),
        "min_discount_share": _number(form.get("min_discount_share"), _l("Discount share above"), Decimal(1)),
        "max_margin": _number(form.get("max_margin"), _l("Margin below"), Decimal(1)),
        "channels": _codes(form.getlist("channels"), CHANNELS, _l("Channels")),
        "regions": _codes(form.getlist("regions"), REGIONS, _l("Regions")),
        "new_customer": form.get("new_customer") == "1",
        "levels_json": json.dumps(levels, ensure_ascii=False),
        "escalate_hours": hours, "active": form.get("active") == "1",
    }
    if not has_condition(type("Probe", (), values)):
        raise rules.RuleError(_l("A rule needs at least one condition."))
    return values


def snapshot(rule) -> dict:
    """Return what the audit log keeps of a rule (before and after an edit)."""
    return {"levels": rule.levels, "min_goods": str(rule.min_goods), "share": str(rule.min_discount_share),
            "margin": str(rule.max_margin), "channels": rule.channels or "", "regions": rule.regions or "",
            "new_customer": bool(rule.new_customer), "hours": rule.escalate_hours, "active": bool(rule.active)}
