"""A case's refund amount is shown only to roles whose matrix row reads `refund_amount`: on the case page, the
case list, the refunds export and the dashboard; everyone else who sees the case sees it without the amount."""
import csv
import io

from datetime import timedelta

import pytest

from tests.factories import make_order, make_product
from webapp.access.models import RolePermission
from webapp.aftersales.models import AftersalesCase, CaseLine
from webapp.core.db import utcnow
from webapp.dashboard import services
from webapp.extensions import db
from webapp.orders.models import Order

AMOUNT = "77.70"


@pytest.fixture
def case_id(app):
    with app.app_context():
        make_product("CUP-500", "129.00", "52.30", "保温杯 500ml")
        order = make_order(status="completed")
        case = AftersalesCase(order_id=order.id, kind="return", status="refunded", refund_amount=AMOUNT,
                              refunded_at=utcnow(), lines=[CaseLine(order_line_id=order.lines[0].id, quantity=1)])
        db.session.add(case)
        db.session.commit()
        return case.id


def _export(client) -> tuple[int, str]:
    with client.application.app_context():
        today = services.today()  # local days (ORDERHUB_TZ), like the export's period
    resp = client.get(f"/aftersales/refunds.csv?from={today - timedelta(days=1)}&to={today}")
    return resp.status_code, resp.get_data(as_text=True)


@pytest.mark.parametrize("role,sees", [("admin", True), ("manager", True), ("finance", True), ("support", False)])
def test_refund_amount_only_for_roles_that_may_read_it(client, login_as, case_id, role, sees):
    login_as(role)
    page = client.get(f"/aftersales/{case_id}")
    assert page.status_code == 200 and ("#%d" % case_id) in page.get_data(as_text=True)  # the case itself is seen
    assert (AMOUNT in page.get_data(as_text=True)) is sees
    assert (AMOUNT in client.get("/aftersales").get_data(as_text=True)) is sees
    status, body = _export(client)
    assert (status, AMOUNT in body) == ((200, True) if sees else (403, False))


def test_the_matrix_cell_decides_not_the_role_name(app, client, login_as, case_id):
    with app.app_context():
        db.session.add(RolePermission(role_code="support", field="refund_amount", level="read"))
        db.session.commit()
    login_as("support")
    assert AMOUNT in client.get(f"/aftersales/{case_id}").get_data(as_text=True)


def test_the_refunds_export_is_formula_safe_and_lists_only_readable_columns(app, client, login_as, case_id):
    with app.app_context():
        db.session.get(Order, db.session.get(AftersalesCase, case_id).order_id).customer_name = "=HYPERLINK(\"x\")"
        db.session.commit()
    login_as("finance")
    status, body = _export(client)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert status == 200 and rows[1][-1] == AMOUNT and "'=HYPERLINK(\"x\")" in rows[1]


def test_a_reversed_export_period_is_refused_with_a_reason(client, login_as, case_id):
    login_as("finance")
    resp = client.get("/aftersales/refunds.csv?from=2026-03-10&to=2026-03-01",
                      headers={"Accept": "application/json", "Accept-Language": "en"})
    assert resp.status_code == 400 and "ends before it starts" in resp.get_json()["message"]


@pytest.mark.parametrize("role,status", [("finance", 200), ("manager", 200), ("support", 403), ("warehouse", 403)])
def test_the_refunds_export_form_is_linked_for_roles_that_may_use_it(client, login_as, case_id, role, status):
    login_as(role)
    assert client.get("/aftersales/refunds").status_code == status
    if status == 200:
        assert 'href="/aftersales/refunds"' in client.get("/aftersales").get_data(as_text=True)
