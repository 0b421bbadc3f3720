"""The admin's audit log: filters by actor, order, action, channel and date; admins only."""
from datetime import date, timedelta

from tests.access.helpers import admin_client
from webapp.audit import services
from webapp.extensions import db


def _seed(app, make_user):
    wang = make_user("sales", "wang")
    with app.app_context():
        for i in range(3):
            services.record("update", actor=wang, via="web", order_no="SO20261126-0001", field="notes", new=f"n{i}")
        services.record("update", via="offline", order_no="SO20261126-0002", field="carrier", new="顺丰")
        db.session.commit()


def _rows(client, query=""):
    page = client.get(f"/admin/audit{query}").get_data(as_text=True)
    return page.count('<tr id="entry-')


def test_filters_narrow_the_log(app, client, login_as, make_user):
    _seed(app, make_user)
    admin_client(login_as, client)  # adds a login and a step-up entry
    assert _rows(client) == 6
    assert _rows(client, "?actor=wang") == 3
    assert _rows(client, "?order_no=SO20261126-0002") == 1
    assert _rows(client, "?via=offline") == 1
    assert _rows(client, "?action=stepup") == 1
    today = date.today()
    assert _rows(client, f"?from={today + timedelta(days=2)}") == 0
    assert _rows(client, f"?from={today - timedelta(days=1)}&to={today + timedelta(days=1)}") == 6


def test_htmx_filter_returns_only_the_entries_fragment(app, client, login_as, make_user):
    _seed(app, make_user)
    admin_client(login_as, client)
    page = client.get("/admin/audit?actor=wang", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert page.lstrip().startswith('<div id="audit-entries">') and "<html" not in page


def test_older_entries_are_paged(app, client, login_as, make_user):
    wang = make_user("sales", "wang")
    with app.app_context():
        for i in range(60):
            services.record("update", actor=wang, via="web", order_no="SO20261126-0009", field="notes", new=f"n{i}")
        db.session.commit()
    admin_client(login_as, client)
    page = client.get("/admin/audit?actor=wang").get_data(as_text=True)
    assert page.count('<tr id="entry-') == 50 and "before=" in page
    older = page.split('href="/admin/audit?')[-1].split('"')[0].replace("&amp;", "&")
    assert client.get(f"/admin/audit?{older}").get_data(as_text=True).count('<tr id="entry-') == 10
