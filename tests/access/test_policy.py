"""The one policy object: writes checked against the matrix, state locks, row scopes, stored changes."""
import pytest
from sqlalchemy import select

from tests.factories import make_order
from webapp.access import services
from webapp.access.policy import PermissionDenied, check_write, policy_for
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.orders.serialize import order_view


def _fresh(app, user_id):
    from webapp.auth.models import User
    from flask import g
    g.pop("_policies", None)
    return db.session.get(User, user_id)


def test_write_to_unwritable_field_names_it(app, make_user):
    sales = make_user("sales")
    with app.app_context():
        order = make_order(salesperson=sales)
        with pytest.raises(PermissionDenied) as err:
            check_write(policy_for(_fresh(app, sales.id)), order, ["notes", "carrier", "region"])
    assert err.value.fields == ["carrier", "region"] and err.value.reason == "not_writable"


def test_sales_cannot_write_someone_elses_order(app, make_user):
    sales, other = make_user("sales"), make_user("sales")
    with app.app_context():
        order = make_order(salesperson=other)
        with pytest.raises(PermissionDenied) as err:
            check_write(policy_for(_fresh(app, sales.id)), order, ["notes"])
    assert err.value.reason == "out_of_scope"


@pytest.mark.parametrize("role", ["admin", "manager", "sales"])
def test_lines_and_prices_are_locked_after_confirmation(app, make_user, role):
    user = make_user(role)
    with app.app_context():
        order = make_order(salesperson=user, status="confirmed")
        policy = policy_for(_fresh(app, user.id))
        check_write(policy, order, ["notes"])  # not locked
        with pytest.raises(PermissionDenied) as err:
            check_write(policy, order, ["items", "discount"])
    assert err.value.reason == "locked" and err.value.fields == ["items", "discount"]


def test_only_a_role_allowed_to_unlock_may_lift_the_lock(app, make_user):
    admin, manager = make_user("admin"), make_user("manager")
    with app.app_context():
        order = make_order(status="confirmed")
        check_write(policy_for(_fresh(app, admin.id)), order, ["items"], unlock=True)
        with pytest.raises(PermissionDenied):
            check_write(policy_for(_fresh(app, manager.id)), order, ["items"], unlock=True)


def test_warehouse_sees_only_their_regions_from_confirmed_on(app, make_user):
    worker = make_user("warehouse", regions=["east"])
    with app.app_context():
        east_new = make_order(address="浙江省杭州市西湖区文三路 1 号")
        east_ok = make_order(address="浙江省杭州市西湖区文三路 2 号", status="confirmed")
        north_ok = make_order(address="北京市朝阳区建国路 3 号", status="confirmed")
        policy = policy_for(_fresh(app, worker.id))
        seen = set(db.session.scalars(policy.scope_filter(select(Order.order_no), Order)))
        assert seen == {east_ok.order_no}
        assert [policy.can_see(o) for o in (east_new, east_ok, north_ok)] == [False, True, False]


def test_deleted_orders_are_seen_only_by_roles_that_may_restore(app, make_user):
    admin, manager = make_user("admin"), make_user("manager")
    with app.app_context():
        order = make_order()
        from webapp.core.db import utcnow
        order.deleted_at = utcnow()
        assert policy_for(_fresh(app, admin.id)).can_see(order)
        assert not policy_for(_fresh(app, manager.id)).can_see(order)
        assert not policy_for(_fresh(app, manager.id)).can("delete")


def test_a_stored_matrix_change_applies_to_the_next_policy(app, make_user):
    admin, support = make_user("admin"), make_user("support")
    with app.app_context():
        assert not policy_for(_fresh(app, support.id)).can_read("total_amount")
        services.set_level("support", "total_amount", "read", actor=db.session.get(type(admin), admin.id))
        db.session.commit()
        assert policy_for(_fresh(app, support.id)).can_read("total_amount")


def test_visible_dict_carries_only_readable_fields(app, make_user):
    worker = make_user("warehouse")
    with app.app_context():
        order = make_order(status="confirmed")
        shown = order_view(order, policy_for(_fresh(app, worker.id)))
    assert "total_amount" not in shown and "profit" not in shown and "salesperson" not in shown
    assert shown["items"] == [{"sku": "CUP-500", "name": "保温杯 500ml", "quantity": 2}]
