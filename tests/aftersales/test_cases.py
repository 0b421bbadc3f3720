"""After-sales cases: opened only on visible orders, lines of the order, refund ≤ paid, the state steps,
finance approval above the limit, the resend through the one write path, every change audited."""
import re

import pytest
from sqlalchemy import select

from tests.factories import make_order, make_product
from webapp.aftersales.models import AftersalesCase
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.orders.models import Order


@pytest.fixture
def order(app):
    with app.app_context():
        make_product("CUP-500", "129.00", "52.30", "保温杯 500ml")
        o = make_order(status="completed")
        return o.order_no, o.lines[0].id


def _open(client, order_no, line_id, kind="wrong_item", refund="100.00", qty="1"):
    return client.post(f"/orders/{order_no}/aftersales", data={
        "kind": kind, f"line-{line_id}": qty, "words": "收到的是黑色，订的是白色", "refund_amount": refund})


def _case_id(resp) -> int:
    return int(re.search(r"/aftersales/(\d+)", resp.headers["Location"]).group(1))


def _step(client, case_id, to):
    return client.post(f"/aftersales/{case_id}/step", data={"to": to})


def test_open_case_on_a_visible_order_is_audited(app, client, login_as, order):
    login_as("support")  # support opens cases but may not set (or see) refund amounts
    resp = _open(client, *order, refund="")
    assert resp.status_code == 303
    case_id = _case_id(resp)
    page = client.get(f"/aftersales/{case_id}").get_data(as_text=True)
    assert "收到的是黑色" in page and "CUP-500" in page
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.order_no == order[0])
                                 .order_by(AuditEntry.id.desc())) == "case_opened"


def test_an_order_outside_the_scope_answers_404(app, client, login_as, order):
    login_as("sales")  # sales see only their own orders
    assert _open(client, *order).status_code == 404
    assert client.get(f"/orders/{order[0]}/aftersales/new").status_code == 404


def test_a_refund_amount_from_a_role_that_may_not_write_it_is_refused(app, client, login_as, order):
    login_as("support")
    order_no, line_id = order
    resp = client.post(f"/orders/{order_no}/aftersales", headers={"Accept": "application/json"},
                       data={"kind": "return", f"line-{line_id}": "1", "refund_amount": "10.00"})
    assert resp.status_code == 403 and resp.get_json()["fields"] == ["refund_amount"]
    with app.app_context():
        assert db.session.scalar(select(AftersalesCase.id)) is None


def test_roles_without_aftersales_are_refused(client, login_as, order):
    login_as("warehouse")
    assert client.get(f"/orders/{order[0]}/aftersales/new").status_code == 403


@pytest.mark.parametrize("data,field", [({"refund": "999999.00"}, "refund_amount"), ({"qty": "9"}, "lines"),
                                        ({"kind": "lost_in_space"}, "kind")])
def test_invalid_cases_are_refused(app, client, login_as, order, data, field):
    login_as("manager")
    resp = _open(client, *order, **data)
    assert resp.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(AftersalesCase.id)) is None


def test_a_line_of_another_order_is_refused(app, client, login_as, order):
    login_as("manager")
    with app.app_context():
        other = make_order().lines[0].id
    assert _open(client, order[0], other).status_code == 422


def test_refund_above_the_limit_needs_finance(app, client, login_as, order, make_user):
    login_as("manager")
    case_id = _case_id(_open(client, *order, kind="return", refund="258.00"))
    app.config["REFUND_LIMIT"] = "200.00"
    assert _step(client, case_id, "approved").status_code == 403
    finance = make_user("finance")
    client.post("/login", data={"username": finance.username, "password": "correct-horse-1"})
    assert _step(client, case_id, "approved").status_code == 303
    assert _step(client, case_id, "goods_received").status_code == 403  # finance only approves refunds


def test_case_walks_to_refunded_and_closed(app, client, login_as, order):
    login_as("manager")
    case_id = _case_id(_open(client, *order, kind="return", refund="50.00"))
    for to in ("approved", "goods_received", "refunded", "closed"):
        assert _step(client, case_id, to).status_code == 303, to
    assert _step(client, case_id, "approved").status_code == 403  # no step out of closed
    with app.app_context():
        case = db.session.get(AftersalesCase, case_id)
        assert case.status == "closed" and case.refunded_at is not None
        steps = db.session.scalars(select(AuditEntry.new).where(AuditEntry.action == "case_step")).all()
        assert steps == ["approved", "goods_received", "refunded", "closed"]


def test_resend_creates_a_linked_order_through_the_write_path(app, client, login_as, order):
    login_as("manager")
    case_id = _case_id(_open(client, *order, kind="missing_item", refund="0"))
    _step(client, case_id, "approved")
    assert _step(client, case_id, "resent").status_code == 303
    page = client.get(f"/aftersales/{case_id}").get_data(as_text=True)
    linked = re.search(r'data-testid="linked-order">(SO[\d-]+)<', page).group(1)
    with app.app_context():
        new = db.session.scalar(select(Order).where(Order.order_no == linked))
        assert new.status == "pending_payment" and [(ln.sku, ln.quantity) for ln in new.lines] == [("CUP-500", 1)]
        assert db.session.scalar(select(AuditEntry.via).where(AuditEntry.action == "create",
                                                              AuditEntry.order_no == linked)) == "web"


def test_a_return_cannot_be_resent(client, login_as, order):
    login_as("manager")
    case_id = _case_id(_open(client, *order, kind="return", refund="0"))
    _step(client, case_id, "approved")
    assert _step(client, case_id, "resent").status_code == 403
