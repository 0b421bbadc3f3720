"""The customer's SMS with the tracking link goes at hand-over (the tracking number exists), not at outbound, once."""
from sqlalchemy import select

from tests.factories import make_order
from tests.notify.helpers import drain, step
from webapp.extensions import db
from webapp.notify.models import SmsRecord


def _bodies(app) -> list[str]:
    with app.app_context():
        drain()
        return list(db.session.scalars(select(SmsRecord.body).order_by(SmsRecord.id)))


def test_outbound_sends_nothing_and_hand_over_sends_one_sms_with_the_number(app, client, login_as):
    with app.app_context():
        order = make_order()
        oid, no = order.id, order.order_no
        for state in ("confirmed", "in_production", "outbound"):
            step(oid, state)
    assert _bodies(app) == []
    login_as("warehouse", regions=["east"])
    resp = client.post(f"/pack/{no}/handover", data={"carrier": "顺丰", "tracking_no": "SF1234567890"})
    assert resp.status_code == 303
    [body] = _bodies(app)
    assert "SF1234567890" in body and "/t/" in body
    assert _bodies(app) == [body]  # drained again: still one
