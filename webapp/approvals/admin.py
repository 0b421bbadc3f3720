"""Admin → Approval rules: edit the rules as data (conditions, chain of levels, escalation hours, on/off).

Admins only (the admin_console action); every change needs a fresh second verification and is
audited. A rule's chain is typed as `role:manager, role:finance` or `user:zhang`; waiting orders keep
the chain they started with, new orders follow the edit.
"""
import json
from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.access import stepup
from webapp.access.policy import policy_for
from webapp.approvals import rules
from webapp.approvals.models import ApprovalRule
from webapp.audit import services as audit
from webapp.core.origin import request_via
from webapp.core.render import render_screen
from webapp.extensions import db

bp = Blueprint("approval_rules", __name__, url_prefix="/admin/approvals")


def parse_levels(text: str) -> list[dict]:
    """Read `role:manager, user:zhang` into levels; refuse what check_levels refuses."""
    levels = []
    for part in (p.strip() for p in (text or "").replace("，", ",").split(",")):
        if not part:
            continue
        kind, _sep, name = part.partition(":")
        if kind.strip() not in ("role", "user") or not name.strip():
            raise rules.RuleError(_l("Each level names a role or a user."))
        levels.append({kind.strip(): name.strip()})
    rules.check_levels(levels)
    return levels


def format_levels(rule: ApprovalRule) -> str:
    return ", ".join(f"{k}:{v}" for lv in rule.levels for k, v in lv.items())


def _amount(text: str, field: str):
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise rules.RuleError(_l("%(field)s is not a number.", field=field)) from None
    if value < 0:
        raise rules.RuleError(_l("%(field)s is not a number.", field=field))
    return value


@bp.before_request
def _admin_only():
    if not current_user.is_authenticated:
        return None
    if not policy_for(current_user).can("admin_console"):
        abort(403)
    return None


def _rows() -> list[ApprovalRule]:
    rows = list(db.session.scalars(select(ApprovalRule).order_by(ApprovalRule.id)))
    return rows or rules.default_rules()


@bp.get("")
@login_required
def index():
    """List the rules with a form each."""
    return render_screen("pages/approvals/rules.html", rows=_rows(), format_levels=format_levels, error=None)


@bp.post("/<code>")
@login_required
def save(code):
    """Save one rule (second verification first); bad input answers 422 with the reason."""
    stepup.require_recent(current_user)
    form = request.form
    rule = db.session.scalar(select(ApprovalRule).where(ApprovalRule.code == code))
    if rule is None:
        if not any(r.code == code for r in rules.default_rules()):
            abort(404)
        db.session.add_all(rules.default_rules())  # first edit of the defaults: store them as rows
        db.session.flush()
        rule = db.session.scalar(select(ApprovalRule).where(ApprovalRule.code == code))
    before = {"levels": rule.levels, "min_goods": str(rule.min_goods), "share": str(rule.min_discount_share),
              "hours": rule.escalate_hours, "active": rule.active}
    try:
        levels = parse_levels(form.get("levels", ""))
        min_goods, share = _amount(form.get("min_goods"), _("Goods value from")), \
            _amount(form.get("min_discount_share"), _("Discount share above"))
        hours = int(form.get("escalate_hours") or rules.DEFAULT_ESCALATE_HOURS)
        if min_goods is None and share is None:
            raise rules.RuleError(_l("A rule needs a condition (goods value or discount share)."))
        if not 1 <= hours <= 168:
            raise rules.RuleError(_l("Escalation hours are 1 to 168."))
    except (rules.RuleError, ValueError) as exc:
        db.session.rollback()
        message = str(exc) if isinstance(exc, rules.RuleError) else _("Escalation hours are 1 to 168.")
        return render_screen("pages/approvals/rules.html", status=422, rows=_rows(), format_levels=format_levels,
                             error=message)
    rule.levels_json, rule.min_goods, rule.min_discount_share = json.dumps(levels, ensure_ascii=False), \
        min_goods, share
    rule.escalate_hours, rule.active = hours, form.get("active") == "1"
    audit.record("approval_rule", actor=current_user, via=request_via(), field=code, old=before,
                 new={"levels": levels, "min_goods": str(min_goods), "share": str(share), "hours": hours,
                      "active": rule.active})
    db.session.commit()
    flash(_("Rule saved. New orders follow it; waiting orders keep their chain."), "success")
    return redirect(url_for("approval_rules.index"), 303)
