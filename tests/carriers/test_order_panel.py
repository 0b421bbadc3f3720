"""The staff order page's parcel panel: courier events, the waybill, copying and re-sending the tracking link."""
import pytest
from sqlalchemy import func, select

from tests.carriers.fake_kuaidi100 import callback_form, last_result
from tests.factories import make_order
from tests.notify.helpers import drain, step
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.notify.models import OutboxMessage, SmsRecord
from webapp.orders.models import Order

NUMBER = "SF1402983377120"
HX = {"HX-Request": "true"}


def _shipped(app, phone="+8613800138000") -> str:
    with app.app_context():
        oid = make_order(phone=phone).id
        for state in ("confirmed", "in_production", "outbound"):
            step(oid, state)
        step(oid, "in_transit", carrier="顺丰速运", tracking_no=NUMBER)
        drain()
        return db.session.get(Order, oid).order_no


def _sms_count(app) -> int:
    with app.app_context():
        drain()
        return db.session.scalar(select(func.count(SmsRecord.id)))


def test_order_page_loads_the_parcel_panel_with_courier_events_newest_first(app, client, login_as, kuaidi100):
    no = _shipped(app)
    scans = [("2026-12-01 10:00:00", "顺丰速运 已收取快件"), ("2026-12-01 20:00:00", "快件到达 上海转运中心", "在途", "上海市")]
    client.post("/carriers/kuaidi100/callback", data=callback_form(last_result(NUMBER, "0", scans)))
    login_as("support")
    page = client.get(f"/orders/{no}").get_data(as_text=True)
    assert f"/carriers/orders/{no}/panel" in page
    panel = client.get(f"/carriers/orders/{no}/panel", headers=HX).get_data(as_text=True)
    events = panel.split('data-testid="carrier-events"')[1]
    assert events.index("快件到达 上海转运中心") < events.index("顺丰速运 已收取快件") and "上海市" in events


@pytest.mark.parametrize("role, sees_link", [("support", True), ("manager", True), ("admin", True),
                                             ("warehouse", False), ("finance", False)])
def test_tracking_link_is_offered_to_roles_that_talk_to_customers(app, client, login_as, role, sees_link):
    no = _shipped(app)
    login_as(role, regions=["east"])
    panel = client.get(f"/carriers/orders/{no}/panel", headers=HX)
    assert panel.status_code == 200
    html = panel.get_data(as_text=True)
    assert ('data-testid="tracking-link"' in html) == sees_link
    assert ('data-testid="resend-link"' in html) == sees_link
    if sees_link:
        link = html.split('data-testid="tracking-link"')[0].rsplit('value="', 1)[1].split('"')[0]
        assert client.get("/" + link.split("://", 1)[1].split("/", 1)[1]).status_code == 200  # the link works


def test_resend_queues_one_more_sms_with_the_same_link_and_is_audited(app, client, login_as):
    no = _shipped(app)
    assert _sms_count(app) == 1
    login_as("support")
    resp = client.post(f"/carriers/orders/{no}/resend-link", headers=HX)
    assert resp.status_code == 200 and "flash-info" in resp.get_data(as_text=True)
    assert _sms_count(app) == 2
    with app.app_context():
        first, second = db.session.scalars(select(SmsRecord.body).order_by(SmsRecord.id)).all()
        assert first == second and "/t/" in second
        assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "tracking_link_resent")) == 1


def test_a_second_resend_within_two_minutes_is_refused(app, client, login_as):
    no = _shipped(app)
    login_as("support")
    assert client.post(f"/carriers/orders/{no}/resend-link", headers=HX).status_code == 200
    again = client.post(f"/carriers/orders/{no}/resend-link", headers=HX)
    assert again.status_code == 429
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.key.like("sms:resend:%"))) == 1


@pytest.mark.parametrize("role", ["warehouse", "finance"])
def test_roles_without_customer_contact_may_not_resend(app, client, login_as, role):
    no = _shipped(app)
    login_as(role, regions=["east"])
    assert client.post(f"/carriers/orders/{no}/resend-link", headers=HX).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.key.like("sms:resend:%"))) == 0


def test_looking_at_the_panel_never_revives_a_revoked_link_but_sending_makes_a_new_one(app, client, login_as):
    from webapp.tracking import services as tracking
    from webapp.tracking.models import TrackingLink
    no = _shipped(app)
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.order_no == no))
        old = tracking.token_for(order)
        tracking.revoke(order)
        db.session.commit()
    login_as("support")
    panel = client.get(f"/carriers/orders/{no}/panel", headers=HX).get_data(as_text=True)
    assert 'data-testid="no-link"' in panel and 'data-testid="tracking-link"' not in panel
    with app.app_context():
        assert db.session.scalar(select(TrackingLink.revoked_at)) is not None
    sent = client.post(f"/carriers/orders/{no}/resend-link", headers=HX).get_data(as_text=True)
    assert 'data-testid="tracking-link"' in sent and old not in sent
    assert client.get(f"/t/{old}").status_code == 404
