"""The approval screen and POST /orders/<no>/approval over HTTP; the order page says where approval stands."""
from tests.approvals.conftest import step
from tests.factories import make_user
from webapp.extensions import db
from webapp.orders.models import Order

PASSWORD = "correct-horse-1"


def _login(client, user):
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302


def test_manager_approves_from_the_screen_in_one_tap(app, client, ctx, people, submit):
    order = step(submit(60).order_no, "awaiting_approval", people["sales"])
    _login(client, people["boss"])
    page = client.get(f"/orders/{order.order_no}").get_data(as_text=True)
    assert 'data-testid="approval-panel"' in page and 'data-testid="open-approval"' in page
    screen = client.get(f"/orders/{order.order_no}/approval").get_data(as_text=True)
    assert 'data-testid="approve"' in screen and 'data-testid="margin"' in screen
    resp = client.post(f"/orders/{order.order_no}/approval", data={"decision": "approve", "version": order.version})
    assert resp.status_code == 303
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "confirmed"


def test_stale_version_is_409_and_empty_reason_is_422(app, client, ctx, people, submit):
    order = step(submit(60).order_no, "awaiting_approval", people["sales"])
    _login(client, people["boss"])
    stale = client.post(f"/orders/{order.order_no}/approval", data={"decision": "approve", "version": 0})
    assert stale.status_code == 409
    empty = client.post(f"/orders/{order.order_no}/approval", data={"decision": "reject", "reason": ""})
    assert empty.status_code == 422 and 'data-testid="refusal"' in empty.get_data(as_text=True)
    ok = client.post(f"/orders/{order.order_no}/approval", data={"decision": "reject", "reason": "毛利太低",
                                                                 "version": order.version})
    assert ok.status_code == 303
    shown = client.get(f"/orders/{order.order_no}").get_data(as_text=True)
    assert 'data-testid="rejected-reason"' in shown and "毛利太低" in shown


def test_finance_sees_its_level_and_margin_but_sales_sees_no_margin(app, client, ctx, people, submit):
    from tests.approvals.conftest import decide
    order = step(submit(250).order_no, "awaiting_approval", people["sales"])
    decide(order.order_no, "approve", people["boss"])
    _login(client, people["cfo"])
    screen = client.get(f"/orders/{order.order_no}/approval").get_data(as_text=True)
    assert 'data-testid="level-1"' in screen and "boss" in screen and 'data-testid="margin"' in screen
    assert client.post(f"/orders/{order.order_no}/approval", data={"decision": "approve"}).status_code == 303
    other = app.test_client()
    _login(other, people["sales"])
    mine = other.get(f"/orders/{order.order_no}/approval").get_data(as_text=True)
    assert 'data-testid="margin"' not in mine and 'data-testid="approve"' not in mine


def test_someone_elses_level_answers_403_with_the_reason(app, client, ctx, people, submit):
    order = step(submit(250).order_no, "awaiting_approval", people["sales"])
    intruder = make_user("finance", "cfo3")
    _login(client, intruder)
    resp = client.post(f"/orders/{order.order_no}/approval", data={"decision": "approve"})
    assert resp.status_code == 403 and 'data-testid="refusal"' in resp.get_data(as_text=True)
