"""Fixing an unclear 接龙 line in place: the edit form, a re-check of that line only, then confirm with the rest."""
import json
import re
from html import unescape

from sqlalchemy import select

from webapp.extensions import db
from webapp.orders.models import Order

HX = {"HX-Request": "true"}
LIST = ("#接龙 周末沙糖桔\n1. 小王 桔子2箱 13800138001 浙江省杭州市滨江区江南大道1号\n"
        "2. 阿花 桔子1箱 1380013800 浙江省杭州市余杭区文一西路9号\n")


def _states(page: str) -> dict[int, str]:
    """The JSON state each preview row carries, by line number."""
    found = {}
    for value in re.findall(r'name="line" value="([^"]*)"', page):
        state = unescape(value)
        found[json.loads(state)["n"]] = state
    return found


def _fix(client, state: str, **fields):
    data = {"line": state, "customer_name": "阿花", "customer_phone": "13800138002",
            "address": "浙江省杭州市余杭区文一西路9号", "sku": ["JU-5KG", ""], "quantity": ["1", "1"]} | fields
    return client.post("/intake/line", data=data, headers=HX)


def test_unclear_line_shows_what_is_missing_and_opens_a_form(client, login_as, catalogue):
    login_as("sales")
    page = client.post("/intake/preview", data={"text": LIST}, headers=HX).get_data(as_text=True)
    assert "10 位" in page or "10 digits" in page  # the phone with 10 digits is named
    state = _states(page)[2]
    form = client.post("/intake/line/edit", data={"line": state}, headers=HX).get_data(as_text=True)
    assert 'data-testid="line-editor"' in form and 'name="customer_phone" value=""' in form
    assert '<option value="JU-5KG" selected>' in form  # the parsed item preselected from the catalogue
    assert "<html" not in form


def test_fix_rechecks_that_line_only_and_names_what_is_still_wrong(client, login_as, catalogue):
    login_as("sales")
    state = _states(client.post("/intake/preview", data={"text": LIST}, headers=HX).get_data(as_text=True))[2]
    still = _fix(client, state, customer_phone="1380013800", sku=["NOPE-1"], quantity=["0"]).get_data(as_text=True)
    assert 'data-testid="line-editor"' in still and still.count('role="alert"') == 2
    assert "NOPE-1" in still
    ok = _fix(client, state).get_data(as_text=True)
    assert 'data-testid="line-fixed"' in ok and 'name="fix"' in ok and 'form="intake-confirm"' in ok
    assert ok.count("<tr") == 1  # one row back, not the whole preview


def test_fixed_line_is_confirmed_with_the_rest_and_keeps_its_identity(app, client, login_as, catalogue):
    login_as("sales")
    state = _states(client.post("/intake/preview", data={"text": LIST}, headers=HX).get_data(as_text=True))[2]
    fixed = re.search(r'name="fix" value="([^"]*)"', _fix(client, state).get_data(as_text=True)).group(1)
    done = client.post("/intake/confirm", data={"text": LIST, "fix": unescape(fixed)}, headers=HX)
    assert "新建 2 单" in done.get_data(as_text=True)
    with app.app_context():
        orders = {o.customer_name: o for o in db.session.scalars(select(Order))}
        assert orders["阿花"].customer_phone.endswith("13800138002") and orders["阿花"].external_id.startswith("jl-")
    again = client.post("/intake/preview", data={"text": LIST}, headers=HX).get_data(as_text=True)
    assert again.count("已下单") + again.count("Already ordered") == 2  # the fixed line is the same order


def test_a_fix_for_another_line_or_a_tampered_fix_is_not_written(app, client, login_as, catalogue):
    login_as("sales")
    state = json.loads(_states(client.post("/intake/preview", data={"text": LIST}, headers=HX)
                               .get_data(as_text=True))[2])
    wrong_id = dict(state, id="jl-other", phone="13800138002")
    bad_sku = dict(state, phone="13800138002", items=[["NOPE-1", 1]])
    for fix in (wrong_id, bad_sku):
        client.post("/intake/confirm", data={"text": LIST, "fix": json.dumps(fix)}, headers=HX)
    with app.app_context():
        assert [o.customer_name for o in db.session.scalars(select(Order))] == ["小王"]


def test_line_endpoints_need_the_intake_permission_and_csrf(app, client, login_as, catalogue):
    login_as("warehouse")
    assert client.post("/intake/line", data={"line": "{}"}, headers=HX).status_code == 403
    login_as("sales")
    state = _states(client.post("/intake/preview", data={"text": LIST}, headers=HX).get_data(as_text=True))[2]
    assert client.post("/intake/line/edit", data={"line": "not json"}, headers=HX).status_code == 400
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/intake/line/edit", data={"line": state}, headers=HX).status_code == 400  # no token
