"""Offline replays against the real endpoints: exactly once, audited as offline with device and sync time."""
import io
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from tests.factories import label_photo, make_order
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.orders.models import Order, OrderTransition
from webapp.warehouse import qr

DEVICE = (datetime.now(timezone.utc) - timedelta(hours=1)).replace(microsecond=0)
DEVICE_AT = DEVICE.isoformat()


def _headers(key, ticket):
    return {"Idempotency-Key": key, "X-OrderHub-Via": "offline", "X-Device-Time": DEVICE_AT,
            "X-OrderHub-Replay": ticket, "Accept": "application/json"}


def _queue(app, order_no):
    """The requests the offline page queues for "mark outbound" and "add note", with their keys."""
    label = f"http://orderhub.test/o/{order_no}?s={qr.sign(order_no, app.config['SECRET_KEY'])}"
    return [
        ("/scan", {"photo": (io.BytesIO(label_photo(label)), "label.jpg")}, "a1b2c3d4-0000-4000-8000-000000000001"),
        (f"/orders/{order_no}/photos", {"photo": (io.BytesIO(label_photo()), "parcel.jpg")},
         "a1b2c3d4-0000-4000-8000-000000000002"),
        (f"/pack/{order_no}/outbound", {}, "a1b2c3d4-0000-4000-8000-000000000003"),
        (f"/offline/orders/{order_no}/note", {"note": "客户要求放门卫"}, "a1b2c3d4-0000-4000-8000-000000000004"),
    ]


def _replay(client, app, order_no):
    statuses, ticket = [], client.get("/offline/state.json").get_json()["replay"]  # as the queue asks first
    for url, data, key in _queue(app, order_no):
        resp = client.post(url, data=data, headers=_headers(key, ticket), content_type="multipart/form-data")
        statuses.append(resp.status_code)
    return statuses


def test_queue_replayed_three_times_changes_the_order_once(app, client, login_as):
    with app.app_context():
        order_no = make_order(status="in_production").order_no
    login_as("warehouse", regions=["east"])
    for _ in range(3):
        assert all(s < 400 for s in _replay(client, app, order_no))
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.order_no == order_no))
        assert order.status == "outbound"
        assert order.notes == "客户要求放门卫"
        assert db.session.scalar(select(func.count()).select_from(OrderTransition).where(
            OrderTransition.order_id == order.id, OrderTransition.to_state == "outbound")) == 1


def test_offline_replays_are_audited_with_device_time_and_sync_time(app, client, login_as):
    with app.app_context():
        order_no = make_order(status="in_production").order_no
    login_as("warehouse", regions=["east"])
    _replay(client, app, order_no)
    _replay(client, app, order_no)
    with app.app_context():
        syncs = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "offline_sync")).all()
        assert len(syncs) == 4  # one per queued request, none for the repeats
        for entry in syncs:
            assert entry.via == "offline" and entry.order_no == order_no
            assert entry.device_at == DEVICE
            assert entry.at > entry.device_at
        step = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "transition",
                                                          AuditEntry.new == "outbound"))
        assert step.via == "offline"


def test_outbound_replayed_after_the_order_was_cancelled_is_a_problem_not_a_change(app, client, login_as):
    with app.app_context():
        order_no = make_order(status="confirmed").order_no
    login_as("warehouse", regions=["east"])
    with app.app_context():
        from webapp.orders import services
        services.transition(order_no, "cancelled", actor=None, via="system", reason="customer called")
        db.session.commit()
    statuses = _replay(client, app, order_no)
    assert all(400 <= s < 500 for s in statuses), statuses
    with app.app_context():
        assert db.session.scalar(select(Order.status).where(Order.order_no == order_no)) == "cancelled"


def test_a_note_never_overwrites_an_earlier_one(app, client, login_as):
    with app.app_context():
        order_no = make_order(status="confirmed", notes="易碎").order_no
    login_as("warehouse", regions=["east"])
    resp = client.post(f"/offline/orders/{order_no}/note", data={"note": "放门卫"}, headers={"Accept": "application/json"})
    assert resp.status_code == 201
    with app.app_context():
        assert db.session.scalar(select(Order.notes).where(Order.order_no == order_no)) == "易碎\n放门卫"
