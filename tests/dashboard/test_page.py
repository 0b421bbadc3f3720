"""The dashboard page: who may see it, drill-down links, money only where readable, the nav link."""
import pytest

from tests.reports import fixture
from webapp.extensions import db


@pytest.fixture
def seeded(app, make_user):
    s1, s2 = make_user("sales", "s1"), make_user("sales", "s2")
    with app.app_context():
        fixture.build(db.session.merge(s1), db.session.merge(s2))


@pytest.mark.parametrize("role,status", [("manager", 200), ("finance", 200), ("admin", 200), ("support", 200),
                                         ("sales", 403), ("warehouse", 403)])
def test_who_may_open_the_dashboard(client, login_as, role, status):
    login_as(role)
    assert client.get("/dashboard").status_code == status


def test_numbers_drill_down_to_the_board(client, login_as, seeded):
    login_as("manager")
    page = client.get("/dashboard?days=90").get_data(as_text=True)
    assert 'href="/orders?overdue=1&amp;sort=oldest"' in page
    assert "/orders?overdue=1&amp;region=south&amp;sort=oldest" in page
    assert "/orders?state=awaiting_approval" in page
    assert 'aria-label=' in page and "<svg" in page and "<table" in page  # charts with text equivalents
    assert "kpi-revenue" in page


def test_support_sees_no_money(client, login_as, seeded):
    login_as("support")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "kpi-revenue" not in page and "kpi-profit" not in page and "kpi-orders_in" in page


def test_nav_link_only_for_dashboard_roles(client, login_as):
    login_as("manager")
    assert 'href="/dashboard"' in client.get("/orders").get_data(as_text=True)


def test_no_nav_link_without_dashboard(client, login_as):
    login_as("sales")
    assert 'href="/dashboard"' not in client.get("/orders").get_data(as_text=True)


def test_manager_home_highlights_the_overdue_count(client, login_as, seeded):
    login_as("manager")
    alert = client.get("/").get_data(as_text=True).split('data-testid="home-overdue"')[1].split("</p>")[0]
    assert '<span class="fig-n">7</span>' in alert and "overdue=1" in alert


@pytest.mark.parametrize("query,message", [("from=2026-03-10&to=2026-03-01", "ends before it starts"),
                                           ("from=2025-01-01&to=2026-03-10", "at most one year")])
def test_a_reversed_or_too_long_range_gets_a_clear_message(client, login_as, query, message):
    login_as("manager")
    resp = client.get(f"/dashboard?{query}", headers={"Accept-Language": "en"})
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True).split('data-testid="range-error">')[1].split("</p>")[0]


def test_a_custom_range_shows_its_days_and_the_new_kpis(client, login_as, seeded):
    login_as("manager")
    page = client.get(f"/dashboard?from={fixture.DAY}&to={fixture.DAY}").get_data(as_text=True)
    assert f"/orders?from={fixture.DAY}&amp;to={fixture.DAY}" in page
    for testid in ("kpi-ship", "kpi-done", "kpi-views", "kpi-wism", "kpi-per-order", "kpi-approve"):
        assert f'data-testid="{testid}"' in page, testid
    assert '<span class="fig-n">11.5 / 34.0</span>' in page  # created → outbound, median / P90


def test_refunds_export_link_only_for_roles_that_read_refunds(client, login_as, seeded):
    login_as("manager")
    assert 'data-testid="refunds-export"' in client.get("/dashboard").get_data(as_text=True)
    login_as("support")
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="refunds-export"' not in page and "kpi-refunds" not in page
