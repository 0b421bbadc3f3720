"""The inquiry log: two taps on the order page record a call, listed there, audited and counted on the dashboard."""
from sqlalchemy import select

from tests.factories import make_order
from webapp.aftersales.models import Inquiry
from webapp.audit.models import AuditEntry
from webapp.dashboard import services
from webapp.extensions import db


def test_support_records_an_inquiry_in_two_taps(app, client, login_as):
    login_as("support")
    with app.app_context():
        no = make_order().order_no
    page = client.get(f"/orders/{no}").get_data(as_text=True)
    assert f"/orders/{no}/aftersales-panel" in page  # the panel's slot on the order page
    panel = client.get(f"/orders/{no}/aftersales-panel", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'value="where_is_my_order"' in panel and "<html" not in panel
    resp = client.post(f"/orders/{no}/inquiries", data={"reason": "where_is_my_order", "note": ""})
    assert resp.status_code == 303
    client.post(f"/orders/{no}/inquiries", data={"reason": "complaint", "note": "态度不好"})
    panel = client.get(f"/orders/{no}/aftersales-panel", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "态度不好" in panel
    with app.app_context():
        assert db.session.scalars(select(Inquiry.reason).order_by(Inquiry.id)).all() == ["where_is_my_order", "complaint"]
        assert db.session.scalar(select(AuditEntry.new).where(AuditEntry.action == "inquiry")) == "where_is_my_order"
        today = services.Period(services.today(), services.today())
        total = services.kpis(today)["total"]
    assert total["inquiries"] == 2 and total["wism"] == 1


def test_unknown_reason_and_roles_without_inquiries(app, client, login_as):
    with app.app_context():
        no = make_order().order_no
    login_as("support")
    client.post(f"/orders/{no}/inquiries", data={"reason": "bored"})
    login_as("warehouse")
    assert client.post(f"/orders/{no}/inquiries", data={"reason": "other"}).status_code in (403, 404)
    assert f"/orders/{no}/aftersales-panel" not in client.get(f"/orders/{no}").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Inquiry.id)) is None
