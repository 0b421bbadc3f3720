"""The daily report's figures equal a hand-computed day; money only for roles that may read it."""
import csv
import io
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.reports import fixture
from webapp import jobs
from webapp.extensions import db
from webapp.reports import services
from webapp.reports.export import safe_cell
from webapp.reports.models import DailyReport


@pytest.fixture
def day(app, make_user):
    s1, s2 = make_user("sales", "s1"), make_user("sales", "s2")
    with app.app_context():
        fixture.build(db.session.merge(s1), db.session.merge(s2))
    return fixture.DAY


def test_figures_equal_the_hand_computed_fixture(app, day):
    with app.app_context():
        report = services.build(day)
    assert report["states"] == fixture.EXPECTED_STATES
    assert report["total"] == fixture.EXPECTED_TOTAL
    for region, expected in fixture.EXPECTED_REGIONS.items():
        assert report["regions"][region] == expected, region
    assert [(p["name"], p["new"], p["revenue"]) for p in report["salespeople"]] == [
        ("s1", 1, "258.00"), ("s2", 1, "950.00")]


def test_percentiles_by_nearest_rank():
    assert services.percentile([4, 10.5, 22], 0.9) == 22
    assert services.percentile(list(range(1, 11)), 0.9) == 9
    assert services.percentile([], 0.9) is None


@pytest.mark.parametrize("role, revenue, profit", [
    ("admin", True, True), ("manager", True, True), ("finance", True, True), ("support", False, False)])
def test_money_only_for_roles_that_may_read_it(app, client, login_as, day, role, revenue, profit):
    login_as(role)
    page = client.get(f"/reports/daily?day={day}").get_data(as_text=True)
    assert "<svg" in page and 'class="bar"' in page
    assert ("¥1,208.00" in page) is revenue
    assert ("¥503.40" in page) is profit
    exported = client.get(f"/reports/daily.csv?day={day}").get_data(as_text=True)
    assert ("1208.00" in exported) is revenue and ("503.40" in exported) is profit


def test_what_the_matrix_grants_is_what_the_report_shows(app, client, login_as, day):
    from webapp.access.models import RolePermission
    with app.app_context():
        db.session.add(RolePermission(role_code="support", field="total_amount", level="read"))
        db.session.commit()
    login_as("support")
    page = client.get(f"/reports/daily?day={day}").get_data(as_text=True)
    assert "¥1,208.00" in page and "¥503.40" not in page


@pytest.mark.parametrize("role", ["sales", "warehouse"])
def test_roles_scoped_to_some_orders_cannot_see_the_report(client, login_as, day, role):
    login_as(role)
    for path in ("/reports/daily", "/reports/daily.csv", "/reports/daily.xlsx"):
        assert client.get(f"{path}?day={day}").status_code == 403


def test_bad_day_is_a_400(client, login_as):
    login_as("manager")
    assert client.get("/reports/daily?day=yesterday").status_code == 400


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_injection_is_neutralised(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("王芳") == "王芳" and safe_cell(-5) == -5


def test_exports_neutralise_names_that_look_like_formulas(app, client, login_as, day):
    from webapp.auth.models import User
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "s1")).display_name = '=cmd|"/C calc"!A0'
        db.session.scalar(select(User).where(User.username == "s2")).display_name = "@SUM(1+1)"
        db.session.commit()
    login_as("finance")
    rows = list(csv.reader(io.StringIO(client.get(f"/reports/daily.csv?day={day}").get_data(as_text=True))))
    names = [r[0] for r in rows if r and r[0].startswith("'")]
    assert names == ["'=cmd|\"/C calc\"!A0", "'@SUM(1+1)"]
    book = load_workbook(io.BytesIO(client.get(f"/reports/daily.xlsx?day={day}").data))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'=cmd|\"/C calc\"!A0" in texts and "'@SUM(1+1)" in texts
    assert 1208 in {c.value for c in cells}  # money stays numeric


def test_nightly_job_runs_shortly_after_local_midnight():
    due = jobs.daily_at(0, 10, "Asia/Shanghai")
    assert due(datetime(2026, 3, 10, 16, 10, tzinfo=timezone.utc))  # 00:10 in Shanghai
    assert not due(datetime(2026, 3, 10, 0, 10, tzinfo=timezone.utc))


def test_stored_report_is_shown_and_catch_up_makes_yesterdays(app, client, login_as, day):
    with app.app_context():
        assert services.store(day) is True
        assert services.store(day, only_if_missing=True) is False
        jobs.bind(app)
        jobs.catch_up()
        days = set(db.session.scalars(select(DailyReport.day)))
    assert days == {day.isoformat(), services_yesterday(app)}
    login_as("manager")
    page = client.get(f"/reports/daily?day={day}").get_data(as_text=True)
    assert "生成于" in page


def services_yesterday(app) -> str:
    with app.app_context():
        return services.yesterday().isoformat()


def test_the_kpis_equal_the_hand_computed_fixture(app, day):
    with app.app_context():
        facts = fixture.add_kpi_facts()
        kpis = services.build(day)["kpis"]
    assert kpis == {"shipped": 3, "completed": facts["completed"], "wrong_cases": 0, "wrong_rate": 0.0,
                    "inquiries": facts["inquiries"], "wism": facts["wism"], "views": facts["views"], "refunds": "0.00",
                    # created → outbound 5, 11.5 and 34 h (see tests/reports/fixture.py)
                    "ship_count": 3, "ship_median_hours": 11.5, "ship_p90_hours": 34.0,
                    "done_count": 1, "done_median_hours": facts["done"][0], "done_p90_hours": facts["done"][1],
                    "approve_count": 2, "approve_median_hours": facts["approve"][0],
                    "approve_p90_hours": facts["approve"][1], "approvals_waiting": facts["waiting_at_midnight"]}


def test_refunds_in_the_report_only_for_roles_that_read_refund_amounts(app, day):
    with app.app_context():
        from webapp.access.policy import Policy
        report = services.build(day)
        assert "refunds" in services.visible(report, Policy("x", {"refund_amount": "read"}))["kpis"]
        assert "refunds" not in services.visible(report, Policy("x", {}))["kpis"]


def test_the_default_day_is_today_so_far_with_yesterday_one_tap_away(app, client, login_as):
    login_as("manager")
    page = client.get("/reports/daily").get_data(as_text=True)
    with app.app_context():
        today, yesterday = services.today().isoformat(), services.yesterday().isoformat()
    assert f"· {today}" in page and 'data-testid="report-kpis"' in page
    link = page.split('data-testid="report-yesterday"')[0].rsplit("<a", 1)[1]
    assert f"/reports/daily?day={yesterday}" in link
