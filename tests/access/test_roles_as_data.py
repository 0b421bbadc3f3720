"""Roles are data: a copy of a built-in role behaves exactly like it, and one edited step changes one step.

For each built-in role the whole behaviour table (matrix cells, state steps, pages, navigation, home
screen, task list, row scope) is taken for a user of the role and for a user of a copy made in the
console; they must be identical. Then one step action of the copy is flipped in the console and the
tables must differ in exactly that step.
"""
import re

import pytest

from tests.access.helpers import PASSWORD, admin_client
from tests.factories import make_order
from webapp.access.defaults import MATRIX_KEYS
from webapp.access.policy import policy_for
from webapp.auth.models import User
from webapp.extensions import db
from webapp.home.screens import context_for
from webapp.orders import statemachine as sm
from webapp.vocab import ROLES, STEP_ACTIONS, STEPS

PAGES = ("/", "/orders", "/orders/new", "/orders/products", "/admin", "/admin/matrix", "/admin/audit",
         "/notify/sms", "/offline/paper", "/offline/recovery", "/reports/daily")
NAV = re.compile(r'class="navlink[^"]*" href="([^"]+)"')


def behaviour(app, user, other_order_id) -> dict:
    """Return everything a user of this role can do, as plain data (the role's behaviour table)."""
    with app.app_context():
        me = db.session.get(User, user.id)
        policy = policy_for(me)
        from webapp.orders.models import Order
        other = db.session.get(Order, other_order_id)
        table = {f"cell:{k}": policy.level(k) for k in MATRIX_KEYS}
        table |= {f"step:{a}>{b}": sm.allowed(sm.step_between(a, b), me) for a, b in STEPS}
        table |= {"scope": policy.scope, "sees_other": policy.can_see(other), "tasks": policy.task_states,
                  "home": context_for(me)["screen"]}
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
    table |= {f"page:{p}": client.get(p).status_code for p in PAGES}
    table["nav"] = sorted(NAV.findall(client.get("/").get_data(as_text=True)))
    return table


def diff(a: dict, b: dict) -> dict:
    return {k: (a.get(k), b.get(k)) for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


@pytest.mark.parametrize("role", ROLES)
def test_a_copied_role_behaves_exactly_like_its_source_until_one_step_is_edited(app, client, login_as, make_user,
                                                                                role):
    admin_client(login_as, client)
    with app.app_context():
        other_order_id = make_order(status="confirmed").id  # east, another salesperson's
    source_user = make_user(role, regions=["east"])
    resp = client.post("/admin/roles", data={"source": role, "code": f"{role}_copy", "name_zh": "副本"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    copy_user = make_user(f"{role}_copy", regions=["east"])

    before = behaviour(app, source_user, other_order_id)
    copied = behaviour(app, copy_user, other_order_id)
    assert diff(before, copied) == {}

    action = STEP_ACTIONS[0]  # pending_payment>confirmed
    flipped = "hidden" if copied[f"cell:{action}"] == "write" else "write"
    assert client.post(f"/admin/matrix/{role}_copy/{action}", data={"level": flipped}).status_code == 302
    edited = behaviour(app, copy_user, other_order_id)
    assert diff(copied, edited) == {f"cell:{action}": (copied[f"cell:{action}"], flipped),
                                    f"step:{action}": (flipped == "hidden", flipped == "write")}
    assert diff(before, behaviour(app, source_user, other_order_id)) == {}  # the source is untouched


def test_the_matrix_page_shows_every_step_action(client, login_as):
    admin_client(login_as, client)
    html = client.get("/admin/matrix").get_data(as_text=True)
    for action in STEP_ACTIONS:
        assert f"cell-warehouse-{action.replace('>', '--')}" in html
    assert "已确认 → 生产中" in html


def test_a_role_given_another_home_lands_there(app, client, login_as, make_user):
    admin_client(login_as, client)
    client.post("/admin/roles", data={"source": "finance", "code": "floor_finance", "name_zh": "现场财务"})
    assert client.post("/admin/roles/floor_finance/scope",
                       data={"floor_finance-scope": "all", "floor_finance-home": "warehouse"}).status_code == 302
    user = make_user("floor_finance", regions=["east"])
    other = app.test_client()
    other.post("/login", data={"username": user.username, "password": PASSWORD})
    html = other.get("/").get_data(as_text=True)
    assert 'data-testid="scan"' in html and "/scan" in NAV.findall(html)
