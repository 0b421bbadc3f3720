"""The state machine per role: every allowed step succeeds, every other one is refused and changes nothing."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_order
from tests.orders.conftest import ROLES
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.orders import services, statemachine, txn
from webapp.orders.errors import Forbidden, NotFound, OrderError, StepRefused
from webapp.orders.models import Order, OrderTransition
from webapp.vocab import STATES

# Who may take which step (the table the business agreed on; outbound needs scan + photo proof).
ALLOWED = {
    ("pending_payment", "confirmed"): {"sales", "finance", "manager", "admin"},
    ("awaiting_approval", "confirmed"): {"manager", "admin"},
    ("confirmed", "in_production"): {"warehouse", "manager"},
    ("outbound", "in_transit"): {"warehouse", "manager"},
    ("in_transit", "completed"): {"warehouse", "support", "manager"},
    ("pending_payment", "cancelled"): {"sales", "manager", "admin"},
    ("awaiting_approval", "cancelled"): {"sales", "manager", "admin"},
    ("confirmed", "cancelled"): {"sales", "manager", "admin"},
}
EVIDENCE_ONLY = {("in_production", "outbound"): {"warehouse", "manager"}}  # right role, never without proof


def _order(source, sales_user, total="258.00"):
    qty = int(Decimal(total) / Decimal("129.00"))
    return make_order(salesperson=sales_user, status=source, lines=[
        {"sku": "CUP-500", "name": "杯", "unit_price": Decimal("129.00"), "quantity": qty, "unit_cost": Decimal("50.00")}])


def _attempt(order_no, target, actor):
    extra = {"reason": "客户改主意"} if target == "cancelled" else {}
    supplied = {"carrier": "顺丰", "tracking_no": "SF123"} if target == "in_transit" else {}
    return txn.run(lambda: services.transition(order_no, target, actor=actor, via="web", supplied=supplied, **extra),
                   actor=actor, via="web")


@pytest.mark.parametrize("role", ROLES)
def test_every_step_for_every_role(ctx, users, role):
    actor = users[role]
    for source in STATES:
        for target in STATES:
            if source == target:
                continue
            order = _order(source, users["sales"] if role != "sales" else actor)
            before = (order.status, order.version)
            allowed = role in ALLOWED.get((source, target), set())
            if allowed:
                moved = _attempt(order.order_no, target, actor)
                assert (moved.status, moved.version) == (target, before[1] + 1), (role, source, target)
                continue
            with pytest.raises(OrderError) as refused:
                _attempt(order.order_no, target, actor)
            assert refused.value.status in (403, 404, 422), (role, source, target)
            db.session.expire_all()
            fresh = db.session.get(Order, order.id)
            assert (fresh.status, fresh.version) == before, (role, source, target)


def test_skipping_a_state_is_refused_even_for_admin_and_the_system(ctx, users):
    order = _order("pending_payment", users["sales"])
    for actor in (users["admin"], None):
        with pytest.raises(StepRefused) as exc:
            _attempt(order.order_no, "in_production", actor)
        assert exc.value.code == "skip"
    assert db.session.get(Order, order.id).status == "pending_payment"


def test_outbound_without_a_provider_is_refused_scan_and_photo(ctx, users, monkeypatch):
    monkeypatch.setitem(statemachine.EVIDENCE, "outbound", statemachine._missing_scan_and_photo)
    order = _order("in_production", users["sales"])
    with pytest.raises(StepRefused) as exc:
        _attempt(order.order_no, "outbound", users["warehouse"])
    assert exc.value.code == "evidence" and exc.value.fields == ["scan", "photo"]


def test_outbound_with_proof_from_a_registered_provider(ctx, users, monkeypatch):
    monkeypatch.setitem(statemachine.EVIDENCE, "outbound", lambda order: [])
    order = _order("in_production", users["sales"])
    moved = _attempt(order.order_no, "outbound", users["warehouse"])
    assert moved.status == "outbound" and moved.outbound_at is not None


def test_in_transit_needs_carrier_and_tracking_number(ctx, users):
    order = _order("outbound", users["sales"])
    with pytest.raises(StepRefused) as exc:
        txn.run(lambda: services.transition(order.order_no, "in_transit", actor=users["warehouse"], via="web"),
                actor=users["warehouse"], via="web")
    assert exc.value.fields == ["carrier", "tracking_no"]
    moved = _attempt(order.order_no, "in_transit", users["warehouse"])
    assert (moved.carrier, moved.tracking_no) == ("顺丰", "SF123")


def test_cancel_needs_a_reason_and_is_kept_on_the_timeline(ctx, users):
    order = _order("confirmed", users["sales"])
    with pytest.raises(StepRefused) as exc:
        txn.run(lambda: services.transition(order.order_no, "cancelled", actor=users["manager"], via="web"),
                actor=users["manager"], via="web")
    assert exc.value.code == "reason"
    _attempt(order.order_no, "cancelled", users["manager"])
    step = db.session.scalar(select(OrderTransition).where(OrderTransition.to_state == "cancelled"))
    assert step.reason == "客户改主意" and step.actor_id == users["manager"].id


@pytest.mark.parametrize("total, target, other", [("49999.99", "confirmed", "awaiting_approval"),
                                                   ("50000.00", "awaiting_approval", "confirmed")])
def test_approval_threshold_decides_the_route(ctx, users, total, target, other):
    order = make_order(salesperson=users["sales"], lines=[
        {"sku": "X", "name": "x", "unit_price": Decimal(total), "quantity": 1, "unit_cost": Decimal("1.00")}])
    with pytest.raises(StepRefused):
        _attempt(order.order_no, other, users["sales"])
    assert _attempt(order.order_no, target, users["sales"]).status == target


def test_refused_step_is_recorded_in_the_audit_log(ctx, users):
    order = _order("confirmed", users["sales"])
    with pytest.raises(Forbidden):
        _attempt(order.order_no, "in_production", users["finance"])
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "refused_write"))
    assert entry.order_no == order.order_no and entry.actor == users["finance"].username
    assert db.session.scalar(select(func.count()).select_from(OrderTransition)) == 1  # only the creation


def test_warehouse_cannot_see_orders_outside_its_regions(ctx, users):
    order = make_order(salesperson=users["sales"], status="confirmed", address="北京市朝阳区建国路 1 号")
    with pytest.raises(NotFound):
        _attempt(order.order_no, "in_production", users["warehouse"])


def test_transition_and_audit_entry_record_actor_and_channel(ctx, users):
    order = _order("pending_payment", users["sales"])
    txn.run(lambda: services.transition(order.order_no, "confirmed", actor=users["sales"], via="offline"),
            actor=users["sales"], via="offline")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "transition"))
    assert (entry.field, entry.old, entry.new, entry.via) == ("status", "pending_payment", "confirmed", "offline")
