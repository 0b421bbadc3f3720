"""The order page shows the order's history, filtered by what the viewer may read."""
from tests.factories import make_order
from webapp.extensions import db
from webapp.orders import services


def test_order_page_shows_who_changed_the_address(app, client, login_as):
    user = login_as("manager")
    with app.app_context():
        order_no = make_order().order_no
    resp = client.post(f"/orders/{order_no}/edit", data={"address": "上海市浦东新区张江路 88 号"})
    assert resp.status_code in (200, 302, 303), resp.get_data(as_text=True)[:300]
    page = client.get(f"/orders/{order_no}").get_data(as_text=True)
    assert 'id="order-history"' in page
    assert user.name in page and "上海市浦东新区张江路 88 号" in page


def test_history_on_the_page_hides_amount_changes_from_warehouse(app, client, login_as, make_user):
    with app.app_context():
        order_no = make_order(make_user("sales")).order_no
    manager = app.test_client()
    login_as("manager", c=manager)
    resp = manager.post(f"/orders/{order_no}/edit", data={"notes": "加急", "shipping_fee": "37.00"})
    assert resp.status_code in (200, 302, 303)
    with app.app_context():
        services.transition(order_no, "confirmed", actor=None, via="system")
        db.session.commit()
    login_as("warehouse", regions=["east"])
    page = client.get(f"/orders/{order_no}").get_data(as_text=True)
    assert 'id="order-history"' in page and "加急" in page
    assert "37.00" not in page
