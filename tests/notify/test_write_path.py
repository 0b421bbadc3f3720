"""Through the real orders write service: a step or a new order queues the right pushes in its transaction."""
import pytest
from sqlalchemy import select

from tests.factories import make_order
from tests.notify.helpers import drain
from webapp.extensions import db
from webapp.notify.models import OutboxMessage
from webapp.orders import services as orders
from webapp.orders.errors import OrderError


def test_confirming_through_the_write_service_tells_the_region_warehouse(app, make_user, subscribe, push_service):
    seller, packer = make_user("sales", "seller"), make_user("warehouse", "packer", ["east"])
    subscribe(packer, "packer")
    with app.app_context():
        order_no = make_order(salesperson=seller).order_no
        orders.transition(order_no, "confirmed", actor=db.session.merge(seller), via="web")
        db.session.commit()
        drain()
    [message] = push_service.messages("packer")
    assert message["topic"] == "order_confirmed" and message["order"]["order_no"] == order_no
    assert "total_amount" not in message["order"]


def test_refused_step_queues_nothing(app, make_user, subscribe):
    seller, packer = make_user("sales", "seller"), make_user("warehouse", "packer", ["east"])
    subscribe(packer, "packer")
    subscribe(seller, "seller")
    with app.app_context():
        order_no = make_order(salesperson=seller).order_no
        with pytest.raises(OrderError):
            orders.transition(order_no, "outbound", actor=db.session.merge(seller), via="web")  # skips steps
        db.session.rollback()
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_an_order_created_already_confirmed_tells_the_warehouse(app, make_user, subscribe, push_service):
    packer = make_user("warehouse", "packer", ["east"])
    subscribe(packer, "packer")
    with app.app_context():
        make_order(status="confirmed")
        drain()
    assert [m["topic"] for m in push_service.messages("packer")] == ["order_confirmed"]
