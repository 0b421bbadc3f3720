"""One projection, one line-price rule: the order page, the packing slip, the label, the offline copy and the
API show a line's price and cost to exactly the same roles."""
import pytest

from tests.access.helpers import PASSWORD
from tests.factories import make_order
from webapp.access.policy import policy_for
from webapp.auth.models import User
from webapp.extensions import db
from webapp.offline.copy import build_copy
from webapp.orders.models import Order
from webapp.orders.serialize import order_json
from webapp.vocab import ROLES

PRICE, COST = "129.00", "52.30"  # the factory's line: shown as ¥129.00 / ¥52.30 where readable


@pytest.mark.parametrize("role", ROLES)
def test_every_view_of_an_order_shows_line_money_to_the_same_roles(app, make_user, role):
    user = make_user(role, regions=["east"])
    with app.app_context():
        order_no = make_order(salesperson=db.session.get(User, user.id), status="confirmed").order_no
        me = db.session.get(User, user.id)
        policy = policy_for(me)
        shown = {name for name in ("unit_price", "unit_cost") if policy.can_read_line(name)}
        order = db.session.query(Order).filter_by(order_no=order_no).one()
        api_line = order_json(order, policy).get("items", [{}])[0]
        copy = build_copy(me)
    assert {k for k in ("unit_price", "unit_cost") if k in api_line} == shown
    assert {k for k in ("unit_price", "unit_cost") if k in copy["line_fields"]} == shown
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
    page = client.get(f"/orders/{order_no}").get_data(as_text=True)
    slip = client.get(f"/print/slip/{order_no}").get_data(as_text=True)
    assert (f"¥{PRICE}" in page) == ("unit_price" in shown), role
    assert (f"¥{COST}" in page) == ("unit_cost" in shown), role
    assert (f"¥{PRICE}" in slip) == ("unit_price" in shown), role
    assert f"¥{COST}" not in slip  # a slip travels with the parcel: never costs
