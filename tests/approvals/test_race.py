"""Two approvers press 批准 on the same level at once: exactly one decision counts, the other is refused."""
from tests.approvals.conftest import step
from tests.orders.test_race import _race
from webapp.approvals import services as approvals
from webapp.extensions import db
from webapp.orders.errors import Conflict, OrderError
from webapp.orders.models import Order


def _approve(order_no, actor):
    """Approve; any refusal comes back as a Conflict carrying its status (what the race helper records)."""
    try:
        return approvals.decide(order_no, "approve", actor=actor)
    except Conflict:
        raise
    except OrderError as exc:  # SQLite runs the writers one after the other: the level has moved on (403/409)
        raise Conflict(str(exc.status), order_no) from exc


def test_two_managers_on_one_level_exactly_one_counts(app, ctx, people, submit):
    ids = [people["boss"].id, people["boss2"].id]
    for thousands in (60, 250):
        order = step(submit(thousands).order_no, "awaiting_approval", people["sales"])
        order_no, order_id = order.order_no, order.id
        db.session.commit()  # the test's own read ends: SQLite lets the two writers in one after the other
        outcomes = _race(app, order_no, ids, _approve)
        assert outcomes.count("won") == 1, outcomes
        assert all(o == "won" or o in ("403", "409") or "moment ago" in o or "刚刚" in o or "没有" in o
                   for o in outcomes), outcomes
        db.session.expire_all()
        fresh = db.session.get(Order, order_id)
        assert fresh.status == ("confirmed" if thousands == 60 else "awaiting_approval")
        assert [d.level for d in approvals.latest_request(fresh).decisions] == [0]


def test_the_last_two_members_of_an_all_of_level_at_once_both_count(app, ctx, people, submit):
    import json

    from webapp.approvals import rules
    from webapp.approvals.models import ApprovalRule
    if not db.session.scalar(db.select(db.func.count()).select_from(ApprovalRule)):
        db.session.add_all(rules.default_rules())
    rule = db.session.scalar(db.select(ApprovalRule).where(ApprovalRule.code == "goods_50k"))
    rule.levels_json = json.dumps([{"role": "finance", "all": True}])
    db.session.commit()
    ids = [people["cfo"].id, people["cfo2"].id]
    order = step(submit(60).order_no, "awaiting_approval", people["sales"])
    order_no, order_id = order.order_no, order.id
    db.session.commit()  # the test's own read ends (read nothing more before the race)
    outcomes = _race(app, order_no, ids, _approve)
    assert outcomes.count("won") == 2, outcomes
    db.session.expire_all()
    fresh = db.session.get(Order, order_id)
    assert fresh.status == "confirmed"
    assert sorted(d.seat for d in approvals.latest_request(fresh).decisions) == sorted(ids)
