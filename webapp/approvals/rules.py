"""Approval rules as data: the defaults, seeding them on first use, and the chain an order needs.

An order is judged on what is really at stake: the goods value before discount, the discount's share
of it, the margin (never the total after discount, so a ¥3.3 million order discounted to ¥0 still
waits); rules may also name channels, regions or a customer's first order (see conditions.py).
"""
import json
from dataclasses import dataclass, field
from decimal import Decimal

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.approvals.conditions import Facts, matches
from webapp.approvals.models import ApprovalRule
from webapp.extensions import db

MANAGER, FINANCE = {"role": "manager"}, {"role": "finance"}
# The defaults of CONTRACT.md; the migration seeds them, and an empty table means them too.
DEFAULT_RULES = (
    {"code": "goods_50k", "name": "Goods value ¥50,000 or more", "min_goods": Decimal("50000.00"),
     "levels": [MANAGER]},
    {"code": "goods_200k", "name": "Goods value ¥200,000 or more", "min_goods": Decimal("200000.00"),
     "levels": [MANAGER, FINANCE]},
    {"code": "discount_20", "name": "Discount above 20 per cent of the goods value", "min_discount_share": Decimal("0.20"),
     "levels": [MANAGER]},
)
RULE_NAMES = {  # translations of the default rules' names (an admin's own rules show their name as typed)
    "goods_50k": _l("Goods value ¥50,000 or more"),
    "goods_200k": _l("Goods value ¥200,000 or more"),
    "discount_20": _l("Discount above 20 per cent of the goods value"),
}
DEFAULT_ESCALATE_HOURS = 4


@dataclass
class Chain:
    """What an order needs: the ordered levels, the rules that triggered and their escalation hours."""

    levels: list = field(default_factory=list)
    rules: list = field(default_factory=list)
    escalate_hours: int = DEFAULT_ESCALATE_HOURS

    def __bool__(self) -> bool:
        return bool(self.levels)


class RuleError(ValueError):
    """A rule that cannot work: no levels, a level repeated (a loop), an unknown level kind."""


def level_key(level: dict) -> tuple:
    """Name who a level is (a role or a user), whether it needs one or all of them aside."""
    return ("user", level["user"]) if level.get("user") else ("role", level.get("role"))


def check_levels(levels: list) -> None:
    """Refuse a chain with no levels, a repeated level or a level that names neither a role nor a user."""
    if not levels:
        raise RuleError(_l("A rule needs at least one approval level."))
    keys = [level_key(lv) for lv in levels]
    if len(set(keys)) != len(keys):
        raise RuleError(_l("A level appears twice in the chain."))
    if any(set(lv) - {"role", "user", "all"} or not (lv.get("role") or lv.get("user")) for lv in levels):
        raise RuleError(_l("Each level names a role or a user."))


def default_rules() -> list[ApprovalRule]:
    """Return the default rules as unsaved rows (what the migration seeds)."""
    return [ApprovalRule(code=r["code"], name=r["name"], min_goods=r.get("min_goods"),
                         min_discount_share=r.get("min_discount_share"), max_margin=None, channels="", regions="",
                         new_customer=False, levels_json=json.dumps(r["levels"]),
                         escalate_hours=DEFAULT_ESCALATE_HOURS, active=True) for r in DEFAULT_RULES]


def read_cache(key, compute):
    """Memoise a read for the rest of a GET request (a page asks the same question several times)."""
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return compute()
    store = request.environ.setdefault("orderhub.approvals", {})
    if key not in store:
        store[key] = compute()
    return store[key]


def active_rules() -> list[ApprovalRule]:
    """Return the rules in force; with no rule rows at all, the defaults (to switch one off, deactivate it)."""
    def load():
        rows = list(db.session.scalars(select(ApprovalRule).order_by(ApprovalRule.id)))
        return [r for r in rows if r.active] if rows else default_rules()
    return read_cache("rules", load)


def chain_for(order) -> Chain:
    """Return the levels this order needs: the rules that match, longest chain first, each level once."""
    facts = Facts.of(order)
    found = sorted((r for r in active_rules() if matches(r, facts)), key=lambda r: -len(r.levels))
    chain = Chain()
    for rule in found:
        chain.rules.append(rule)
        have = {level_key(lv) for lv in chain.levels}
        chain.levels += [lv for lv in rule.levels if level_key(lv) not in have]
        chain.escalate_hours = min(chain.escalate_hours, rule.escalate_hours) if chain.rules[1:] \
            else rule.escalate_hours
    return chain


def rule_name(rule_or_code) -> str:
    """Return a rule's name as people read it (translated for the defaults)."""
    code = getattr(rule_or_code, "code", rule_or_code)
    if code in RULE_NAMES:
        return str(RULE_NAMES[code])
    rule = rule_or_code if hasattr(rule_or_code, "name") else \
        db.session.scalar(select(ApprovalRule).where(ApprovalRule.code == code))
    return rule.name if rule else code


def needs_approval(order) -> bool:
    """Installed into the state machine: does this order need approval before it is confirmed?"""
    return bool(chain_for(order))
