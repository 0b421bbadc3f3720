"""Home screens ask the permission policy for rows: a narrowed scope narrows the home too."""
from webapp.access.models import RoleScope
from webapp.extensions import db
from tests.factories import make_order


def test_board_counts_follow_the_role_scope(app, client, login_as, make_user):
    seller = make_user("sales")
    with app.app_context():
        make_order(seller, status="confirmed")
        make_order(seller, status="confirmed")
    login_as("support")
    page = client.get("/").get_data(as_text=True)
    assert '<span class="tile-n">2</span>' in page
    with app.app_context():
        db.session.add(RoleScope(role_code="support", scope="own"))
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert '<span class="tile-n">2</span>' not in page


def test_warehouse_tasks_hide_fields_the_matrix_hides(app, client, login_as, make_user):
    from webapp.access.models import RolePermission
    with app.app_context():
        make_order(make_user("sales"), status="confirmed", address="浙江省杭州市西湖区文三路 90 号")
    login_as("warehouse", regions=["east"])
    assert "浙江省杭州市西湖区" in client.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.add(RolePermission(role_code="warehouse", field="address", level="hidden"))
        db.session.commit()
    assert "浙江省杭州市西湖区" not in client.get("/").get_data(as_text=True)
