"""Customers' views of the tracking page are recorded (one row each); staff previews and reloads are not."""
from sqlalchemy import func, select

from tests.factories import make_order
from webapp.tracking.models import TrackingView
from webapp.extensions import db
from webapp.tracking import services as tracking


def _views(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(TrackingView))


def _token(app) -> str:
    with app.app_context():
        order = make_order()
        token = tracking.token_for(order)
        db.session.commit()
        return token


def test_each_customer_view_is_one_recorded_fact(app, client):
    token = _token(app)
    assert client.get(f"/t/{token}").status_code == 200
    assert client.get(f"/t/{token}").status_code == 200
    assert _views(app) == 2


def test_staff_previews_prefetches_and_reloads_are_not_counted(app, client, login_as):
    token = _token(app)
    assert client.get(f"/t/{token}", headers={"Sec-Purpose": "prefetch"}).status_code == 200
    assert client.get(f"/t/{token}?lang=en").status_code == 200
    login_as("manager")
    assert client.get(f"/t/{token}").status_code == 200
    assert _views(app) == 0


def test_a_forged_link_records_nothing(app, client):
    assert client.get("/t/forged.token").status_code == 404
    assert _views(app) == 0
