"""Admin → Approval rules: a second verification to save, bad chains refused, an edit applies to new orders."""
from sqlalchemy import select

from tests.access.helpers import admin_client, step_up
from tests.approvals.conftest import step
from webapp.approvals import rules
from webapp.approvals.models import ApprovalRule
from webapp.audit.models import AuditEntry
from webapp.extensions import db

FORM = {"min_goods": "30000", "min_discount_share": "", "levels": "role:manager, user:cfo", "escalate_hours": "2",
        "active": "1"}


def test_editing_a_rule_needs_step_up_and_changes_new_orders(app, client, login_as, ctx, people, submit):
    login_as("admin")
    db.session.commit()  # end the test's own read (SQLite): the requests below write
    assert client.get("/admin/approvals").status_code == 200
    assert client.post("/admin/approvals/goods_50k", data=FORM).status_code == 401  # no second verification
    step_up(client)
    assert client.post("/admin/approvals/goods_50k", data=FORM).status_code == 303
    db.session.expire_all()
    assert rules.chain_for(submit(40)).levels == [{"role": "manager"}, {"user": "cfo"}]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "approval_rule")).field == "goods_50k"
    order = step(submit(40).order_no, "awaiting_approval", people["sales"])
    assert order.status == "awaiting_approval"


def test_bad_rules_are_refused_with_a_reason(app, client, login_as, ctx):
    admin_client(login_as, client)
    for bad in ({"levels": ""}, {"levels": "role:manager, role:manager"}, {"levels": "boss"},
                {"min_goods": "abc"}, {"min_goods": "", "min_discount_share": ""}, {"escalate_hours": "0"}):
        resp = client.post("/admin/approvals/goods_50k", data=FORM | bad)
        assert resp.status_code == 422 and 'data-testid="refusal"' in resp.get_data(as_text=True), bad
    rule = db.session.scalar(select(ApprovalRule).where(ApprovalRule.code == "goods_50k"))
    assert rule is None or rule.levels == [{"role": "manager"}]


def test_only_admins_open_the_rules(client, login_as):
    login_as("manager")
    assert client.get("/admin/approvals").status_code == 403


def test_adding_a_rule_with_channel_margin_and_all_of_level(app, client, login_as, ctx, people, submit):
    admin_client(login_as, client)
    form = {"name": "电话渠道低毛利", "channels": ["phone"], "max_margin": "0.5", "levels": "all role:finance",
            "escalate_hours": "3", "active": "1"}
    assert client.post("/admin/approvals", data=form).status_code == 303
    db.session.expire_all()
    rule = db.session.scalar(select(ApprovalRule).where(ApprovalRule.name == "电话渠道低毛利"))
    assert (rule.channels, rule.levels, rule.escalate_hours) == ("phone", [{"role": "finance", "all": True}], 3)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "approval_rule",
                                                       AuditEntry.field == rule.code))
    assert entry is not None and "finance" in entry.new and "phone" in entry.new
    assert rules.chain_for(submit(10, channel="phone")).levels == [{"role": "finance", "all": True}]
    assert rules.chain_for(submit(10, channel="web")).levels == []


def test_bad_new_conditions_are_refused(app, client, login_as, ctx):
    admin_client(login_as, client)
    base = {"name": "x", "levels": "role:manager", "escalate_hours": "4", "active": "1", "max_margin": "0.1"}
    for bad in ({"channels": ["carrier_pigeon"]}, {"regions": ["mars"]}, {"max_margin": "2"},
                {"max_margin": "NaN"}, {"name": ""}, {"levels": "all boss"}, {"max_margin": ""}):
        resp = client.post("/admin/approvals", data=base | bad)
        assert resp.status_code == 422 and 'data-testid="refusal"' in resp.get_data(as_text=True), bad
    assert db.session.scalar(select(ApprovalRule).where(ApprovalRule.name == "x")) is None
