"""Soft delete and restore (admins, after step-up), lines go with their order, the product catalogue."""
import time

import pytest
from sqlalchemy import delete, func, select

from tests.factories import make_order, make_product
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.orders.models import Order, OrderLine, Product


def _step_up(client, user):
    with client.session_transaction() as sess:
        sess["stepup_at"], sess["stepup_uid"] = time.time(), user.id


def test_admin_soft_deletes_and_restores(app, client, login_as):
    admin = login_as("admin")
    _step_up(client, admin)
    with app.app_context():
        no = make_order().order_no
    assert client.post(f"/orders/{no}/delete").status_code == 303
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.order_no == no))
        assert order.deleted_at is not None and order.lines  # recoverable: nothing removed
    assert f'href="/orders/{no}"' not in client.get("/orders").get_data(as_text=True)
    assert f'href="/orders/{no}"' in client.get("/orders?deleted=1").get_data(as_text=True)
    assert client.post(f"/orders/{no}/restore").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Order.deleted_at).where(Order.order_no == no)) is None
        actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.order_no == no)))
        assert actions[-2:] == ["delete", "restore"]


def test_delete_needs_a_fresh_second_verification(app, client, login_as):
    login_as("admin")
    with app.app_context():
        no = make_order().order_no
    resp = client.post(f"/orders/{no}/delete")
    assert resp.status_code != 303 or "stepup" in resp.headers.get("Location", "")
    with app.app_context():
        assert db.session.scalar(select(Order.deleted_at).where(Order.order_no == no)) is None


@pytest.mark.parametrize("role", ["manager", "sales", "finance"])
def test_other_roles_cannot_delete(app, client, login_as, role):
    user = login_as(role)
    with app.app_context():
        no = make_order(salesperson=user if role == "sales" else None).order_no
    assert client.post(f"/orders/{no}/delete").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Order.deleted_at).where(Order.order_no == no)) is None
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "refused_write")) == 1


def test_deleted_order_is_invisible_to_others(app, client, login_as, make_user):
    admin = make_user("admin")
    login_as("manager")
    with app.app_context():
        from webapp.orders import services, txn
        no = make_order().order_no
        txn.run(lambda: services.delete_order(no, actor=db.session.get(type(admin), admin.id), via="web"),
                actor=None, via="web")
    assert client.get(f"/orders/{no}").status_code == 404


def test_lines_are_deleted_with_their_order(app):
    with app.app_context():
        order_id = make_order().id
        db.session.execute(delete(Order).where(Order.id == order_id))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(OrderLine)) == 0


def test_manager_manages_the_catalogue(app, client, login_as):
    login_as("manager")
    assert client.post("/products", data={"sku": "tea-1", "name": "龙井", "price": "268", "cost": "150.5"}).status_code == 303
    assert client.post("/products", data={"sku": "TEA-1", "name": "x", "price": "1", "cost": "1"}).status_code == 422
    assert client.post("/products", data={"sku": "TEA-2", "name": "x", "price": "1.001", "cost": "1"}).status_code == 422
    assert client.post("/products/TEA-1", data={"name": "龙井 250g", "price": "288", "cost": "150.50"}).status_code == 303
    page = client.get("/products").get_data(as_text=True)
    assert "龙井 250g" in page and "288" in page
    with app.app_context():
        product = db.session.scalar(select(Product))
        assert (product.sku, str(product.unit_price), product.active) == ("TEA-1", "288.00", False)


@pytest.mark.parametrize("role", ["sales", "warehouse", "finance", "support"])
def test_other_roles_cannot_manage_the_catalogue(app, client, login_as, role):
    login_as(role)
    assert client.get("/products").status_code == 403
    assert client.post("/products", data={"sku": "X", "name": "x", "price": "1", "cost": "1"}).status_code == 403


def test_sold_lines_keep_their_price_when_the_catalogue_changes(app, client, login_as):
    login_as("manager")
    with app.app_context():
        make_product("CUP-500", "129.00", "52.30")
        no = make_order().order_no
    client.post("/products/CUP-500", data={"name": "杯", "price": "199", "cost": "60", "active": "1"})
    with app.app_context():
        line = db.session.scalar(select(OrderLine))
        assert str(line.unit_price) == "129.00"
