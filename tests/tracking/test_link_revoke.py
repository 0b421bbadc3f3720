"""Tracking links can be revoked from the order page and a new one issued; a revoked link shows a friendly page."""
import re

import pytest

from tests.factories import make_order
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.tracking import services
from sqlalchemy import select


@pytest.fixture
def linked(app):
    """An order whose tracking link went out (the token the customer holds)."""
    with app.app_context():
        order = make_order(status="outbound")
        token = services.token_for(order)
        db.session.commit()
        return order.order_no, token


def test_staff_who_may_see_sms_revoke_the_link_from_the_order_page(app, client, login_as, linked):
    order_no, token = linked
    login_as("manager")
    page = client.get(f"/orders/{order_no}").get_data(as_text=True)
    assert f"/carriers/orders/{order_no}/panel" in page  # the one panel: parcel and tracking link
    panel = client.get(f"/carriers/orders/{order_no}/panel", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "tracking-link/revoke" in panel
    assert client.post(f"/orders/{order_no}/tracking-link/revoke").status_code == 303
    gone = client.get(f"/t/{token}")
    assert gone.status_code == 404 and 'data-testid="link-gone"' in gone.get_data(as_text=True)
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.order_no == order_no)))
        assert "tracking_revoked" in actions


def test_a_new_link_works_and_the_old_one_stays_dead(app, client, login_as, linked):
    order_no, token = linked
    login_as("manager")
    resp = client.post(f"/orders/{order_no}/tracking-link/new", follow_redirects=True)
    fresh = re.search(r"/t/([\w.\-]+)", resp.get_data(as_text=True)).group(1)
    assert fresh != token
    assert client.get(f"/t/{fresh}").status_code == 200
    assert client.get(f"/t/{token}").status_code == 404


@pytest.mark.parametrize("role", ["sales", "warehouse", "finance"])
def test_roles_without_the_sms_log_action_cannot_revoke(app, client, login_as, linked, role):
    order_no, token = linked
    login_as(role)
    assert client.post(f"/orders/{order_no}/tracking-link/revoke").status_code in (403, 404)
    assert client.get(f"/t/{token}").status_code == 200


def test_out_of_scope_order_is_not_found(app, client, login_as, linked, make_user):
    from webapp.access.models import RoleScope
    order_no, _token = linked
    with app.app_context():
        db.session.merge(RoleScope(role_code="manager", scope="own"))
        db.session.commit()
    login_as("manager")
    assert client.post(f"/orders/{order_no}/tracking-link/revoke").status_code == 404
