"""One tracking-link panel on the order page: each action (copy, re-send, revoke, new link) only for who may use it."""
import pytest

from tests.factories import make_order
from webapp.access.models import RolePermission
from webapp.extensions import db
from webapp.tracking import services

HX = {"HX-Request": "true"}
ACTIONS = {"copy": 'data-testid="tracking-link"', "resend": 'data-testid="resend-link"',
           "revoke": 'data-testid="revoke-link"', "new": 'data-testid="new-link"'}
ALL, CONTACT, MANAGE = set(ACTIONS), {"copy", "resend"}, {"revoke", "new"}


def _order(app, salesperson=None) -> str:
    """An order handed out with a live tracking link."""
    with app.app_context():
        order = make_order(salesperson=db.session.merge(salesperson) if salesperson else None, status="outbound")
        services.token_for(order)
        db.session.commit()
        return order.order_no


def _grant(app, role, field, level):
    with app.app_context():
        db.session.merge(RolePermission(role_code=role, field=field, level=level))
        db.session.commit()


def _shown(client, order_no) -> set[str]:
    resp = client.get(f"/carriers/orders/{order_no}/panel", headers=HX)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert html.count('data-testid="tracking-link-panel"') <= 1
    return {name for name, marker in ACTIONS.items() if marker in html}


@pytest.mark.parametrize("role, expected", [("admin", ALL), ("manager", ALL), ("support", CONTACT),
                                            ("sales", CONTACT), ("warehouse", set()), ("finance", set())])
def test_each_default_role_sees_only_the_link_actions_it_may_use(app, client, login_as, role, expected):
    user = login_as(role, regions=["east"])
    order_no = _order(app, salesperson=user if role == "sales" else None)
    assert _shown(client, order_no) == expected


@pytest.mark.parametrize("role, grant, expected", [
    ("finance", ("sms_log", "write"), MANAGE),  # may manage links, does not talk to customers
    ("manager", ("inquiries", "hidden"), MANAGE),
    ("support", ("customer_phone", "hidden"), set()),  # cannot read the phone: no copy, no re-send
])
def test_a_role_changed_in_the_matrix_sees_exactly_its_actions(app, client, login_as, role, grant, expected):
    _grant(app, role, *grant)
    login_as(role, regions=["east"])
    assert _shown(client, _order(app)) == expected


def test_the_order_page_has_one_link_panel_slot_for_managers_even_before_hand_over(app, client, login_as):
    login_as("manager")
    with app.app_context():
        order_no = make_order().order_no  # pending payment: no parcel yet, but a link may be issued
    page = client.get(f"/orders/{order_no}").get_data(as_text=True)
    assert page.count(f"/carriers/orders/{order_no}/panel") >= 1 and f"/orders/{order_no}/tracking-link\"" not in page
    assert _shown(client, order_no) == {"new"}  # no link yet: nothing to copy, re-send or revoke


def test_the_panel_alone_refuses_who_may_do_nothing(app, client, login_as):
    login_as("finance")
    assert client.get(f"/orders/{_order(app)}/tracking-link", headers=HX).status_code == 403


def test_no_link_is_sent_to_the_customer_before_the_parcel_leaves(app, client, login_as):
    login_as("support")
    with app.app_context():
        order_no = make_order(status="confirmed").order_no
    resp = client.post(f"/carriers/orders/{order_no}/resend-link", headers={**HX, "Accept": "application/json"})
    assert resp.status_code == 422 and resp.get_json()["error"] == "not_shipped"
