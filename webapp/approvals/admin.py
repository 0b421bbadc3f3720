"""Admin → Approval rules: edit and add rules as data (conditions, chain of levels, escalation hours, on/off).

Admins only (the admin_console action); every change needs a fresh second verification and is
audited in the same transaction. Waiting orders keep the chain they started with, new orders
follow the edit. The form is read by admin_form.
"""
import secrets

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.access import stepup
from webapp.access.policy import policy_for
from webapp.approvals import admin_form, rules
from webapp.approvals.admin_form import format_levels
from webapp.approvals.models import ApprovalRule
from webapp.audit import services as audit
from webapp.core.origin import request_via
from webapp.core.render import render_screen
from webapp.extensions import db
from webapp.vocab import CHANNELS, REGIONS

bp = Blueprint("approval_rules", __name__, url_prefix="/admin/approvals")


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


def _page(error=None, status: int = 200):
    return render_screen("pages/approvals/rules.html", status=status, rows=_rows(), format_levels=format_levels,
                         error=error, channels=CHANNELS, regions=REGIONS, split=admin_form.split_codes)


@bp.get("")
@login_required
def index():
    """List the rules with a form each, and a form to add one."""
    return _page()


def _stored(code: str) -> ApprovalRule | None:
    """Return the rule row; on the first edit of the defaults, store them as rows first."""
    rule = db.session.scalar(select(ApprovalRule).where(ApprovalRule.code == code))
    if rule is None and any(r.code == code for r in rules.default_rules()):
        db.session.add_all(rules.default_rules())
        db.session.flush()
        rule = db.session.scalar(select(ApprovalRule).where(ApprovalRule.code == code))
    return rule


def _apply(rule: ApprovalRule, code: str, before) -> None:
    """Write the form onto the rule and audit the change (the caller commits)."""
    for name, value in admin_form.read(request.form).items():
        setattr(rule, name, value)
    audit.record("approval_rule", actor=current_user, via=request_via(), field=code, old=before,
                 new=admin_form.snapshot(rule))


@bp.post("/<code>")
@login_required
def save(code):
    """Save one rule (second verification first); bad input answers 422 with the reason, nothing saved."""
    stepup.require_recent(current_user)
    rule = _stored(code)
    if rule is None:
        abort(404)
    try:
        _apply(rule, code, admin_form.snapshot(rule))
    except rules.RuleError as exc:
        db.session.rollback()
        return _page(str(exc), 422)
    db.session.commit()
    flash(_("Rule saved. New orders follow it; waiting orders keep their chain."), "success")
    return redirect(url_for("approval_rules.index"), 303)


@bp.post("")
@login_required
def create():
    """Add a rule (second verification first): a name, its conditions and its chain."""
    stepup.require_recent(current_user)
    name = (request.form.get("name") or "").strip()
    try:
        if not name or len(name) > 120:
            raise rules.RuleError(_("Give the rule a name (at most 120 characters)."))
        _stored(rules.DEFAULT_RULES[0]["code"])  # keep the defaults in force once the table has rows
        rule = ApprovalRule(code="r_" + secrets.token_hex(4), name=name, levels_json="[]", escalate_hours=4,
                            active=True, channels="", regions="", new_customer=False)
        db.session.add(rule)
        _apply(rule, rule.code, None)
    except rules.RuleError as exc:
        db.session.rollback()
        return _page(str(exc), 422)
    db.session.commit()
    flash(_("Rule added. New orders follow it."), "success")
    return redirect(url_for("approval_rules.index"), 303)
