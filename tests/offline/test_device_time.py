"""Every audit entry of an offline replay carries the device time beside its own sync time."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from tests.factories import make_order
from webapp.audit.models import AuditEntry
from webapp.extensions import db

DEVICE_AT = (datetime.now(timezone.utc) - timedelta(hours=20)).replace(microsecond=0)
DEVICE_TIME = DEVICE_AT.isoformat()


def _entries(app, order_no, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.order_no == order_no,
                                                           AuditEntry.action == action)).all()


def test_field_changes_replayed_offline_carry_the_device_time(app, client, login_as):
    login_as("manager")
    with app.app_context():
        order_no = make_order().order_no
    resp = client.post(f"/orders/{order_no}/edit", data={"notes": "离线备注"},
                       headers={"Idempotency-Key": "5f0c7c6e-0000-4000-8000-000000000001",
                                "X-OrderHub-Via": "offline", "X-Device-Time": DEVICE_TIME,
                                "X-OrderHub-Replay": client.get("/offline/state.json").get_json()["replay"]})
    assert resp.status_code in (200, 303)
    update, = _entries(app, order_no, "update")
    assert update.via == "offline" and update.field == "notes"
    assert update.device_at == DEVICE_AT
    assert update.at > update.device_at  # the entry's own time is the sync time


def test_online_edits_have_no_device_time(app, client, login_as):
    login_as("manager")
    with app.app_context():
        order_no = make_order().order_no
    client.post(f"/orders/{order_no}/edit", data={"notes": "在线备注"})
    client.post(f"/orders/{order_no}/edit", data={"notes": "又一条"}, headers={"X-Device-Time": DEVICE_TIME})
    assert [(e.via, e.device_at) for e in _entries(app, order_no, "update")] == [("web", None), ("web", None)]
