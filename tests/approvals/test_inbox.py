"""待我审批 N: the approver's count and list, the home tile, the board's level badge, pushes to one level only."""
import json

from sqlalchemy import select

from tests.approvals.conftest import decide, step
from tests.approvals.test_alerts import _device, _pushes
from webapp.approvals import inbox, rules
from webapp.approvals.models import ApprovalRule
from webapp.extensions import db

PASSWORD = "correct-horse-1"


def _login(client, user):
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302


def test_counts_follow_the_level_now_waiting(ctx, people, submit):
    order = step(submit(250).order_no, "awaiting_approval", people["sales"])
    counts = {name: len(inbox.waiting_for(people[name])) for name in ("boss", "boss2", "cfo", "sales")}
    assert counts == {"boss": 1, "boss2": 1, "cfo": 0, "sales": 0}
    decide(order.order_no, "approve", people["boss"])
    counts = {name: len(inbox.waiting_for(people[name])) for name in ("boss", "boss2", "cfo", "cfo2")}
    assert counts == {"boss": 0, "boss2": 0, "cfo": 1, "cfo2": 1}


def test_home_shows_my_count_and_links_to_my_list(app, client, ctx, people, submit):
    order = step(submit(60).order_no, "awaiting_approval", people["sales"])
    _login(client, people["boss"])
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="home-my-approvals"' in home and 'href="/approvals"' in home
    mine = client.get("/approvals").get_data(as_text=True)
    assert order.order_no in mine and f"/orders/{order.order_no}/approval" in mine
    assert 'data-testid="mine-count">1<' in mine


def test_roles_that_never_approve_get_no_tile(app, client, ctx, people):
    from tests.factories import make_user
    _login(client, make_user("support", "helpdesk"))
    assert 'home-my-approvals' not in client.get("/").get_data(as_text=True)


def test_board_rows_and_order_page_say_which_level_and_who(app, client, ctx, people, submit):
    order = step(submit(250).order_no, "awaiting_approval", people["sales"])
    _login(client, people["cfo"])
    board = client.get("/orders?state=awaiting_approval").get_data(as_text=True)
    assert 'data-testid="approval-badge"' in board
    assert inbox.badges([{"order_no": order.order_no, "status": "awaiting_approval"}])[order.order_no]["n"] == 1
    page = client.get(f"/orders/{order.order_no}").get_data(as_text=True)
    assert 'data-testid="approval-next"' in page and "boss2" in page


def test_awaiting_approval_pushes_only_the_first_levels_people(ctx, people, submit):
    if not db.session.scalar(select(db.func.count()).select_from(ApprovalRule)):
        db.session.add_all(rules.default_rules())
    rule = db.session.scalar(select(ApprovalRule).where(ApprovalRule.code == "goods_50k"))
    rule.levels_json = json.dumps([{"user": "cfo"}])
    db.session.commit()
    for name in ("cfo", "cfo2", "boss", "boss2"):
        _device(people[name])
    step(submit(60).order_no, "awaiting_approval", people["sales"])
    got = {name: len(_pushes(people[name], "approval_needed")) for name in ("cfo", "cfo2", "boss", "boss2")}
    assert got == {"cfo": 1, "cfo2": 0, "boss": 0, "boss2": 0}
    (push,) = _pushes(people["cfo"], "approval_needed")
    assert push["body"] == rules.rule_name("goods_50k")
