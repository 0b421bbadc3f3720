"""Fixtures for approvals and risk: an app context, a catalogue priced for the thresholds, people, orders."""
from decimal import Decimal

import pytest

from tests.factories import make_product, make_user
from webapp.extensions import db
from webapp.orders import services, txn

GOOD_ADDRESS = "浙江省杭州市西湖区文三路 90 号"


@pytest.fixture
def ctx(app):
    """Run the test inside an app context."""
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def people(ctx):
    """Sales, two managers, two finance users, an admin (warehouse users are not needed here)."""
    return {name: make_user(role, name) for name, role in (
        ("sales", "sales"), ("boss", "manager"), ("boss2", "manager"), ("cfo", "finance"),
        ("cfo2", "finance"), ("root", "admin"))}


@pytest.fixture
def catalogue(ctx):
    """A ¥1,000.00 item with ¥600.00 cost (quantities set the goods value)."""
    return make_product("K1000", "1000.00", "600.00", "千元件")


@pytest.fixture
def submit(people, catalogue):
    """submit(goods_in_thousands, discount=0, phone=…, address=…, channel=…, via=…) → order, as the salesperson."""
    def _submit(thousands, discount="0", phone="13800138000", address=GOOD_ADDRESS, channel="web", via="web",
                actor=None):
        actor = actor or people["sales"]
        raw = {"customer_name": "王五", "customer_phone": phone, "address": address,
               "discount": str(Decimal(discount)), "channel": channel}
        return txn.run(lambda: services.submit_order(raw, [{"sku": "K1000", "quantity": thousands}],
                                                     actor=actor, via=via), actor=actor, via=via)
    return _submit


def step(order_no, to, actor, **kw):
    """Take one state step through the write service (committed), as views do."""
    return txn.run(lambda: services.transition(order_no, to, actor=actor, via="web", **kw), actor=actor, via="web")


def decide(order_no, decision, actor, **kw):
    """Record an approval decision through the approvals service (committed)."""
    from webapp.approvals import services as approvals
    return txn.run(lambda: approvals.decide(order_no, decision, actor=actor, **kw), actor=actor, via="web")
