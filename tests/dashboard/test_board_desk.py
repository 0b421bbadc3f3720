"""Board for desks: overdue filter and tab, oldest / amount sort, dense table, CSV / XLSX exports."""
import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

from openpyxl import load_workbook

from tests.factories import make_order
from webapp.core.db import utcnow

ROW = re.compile(r'href="/orders/(SO\d{8}-\d{4})"')
TV = [{"sku": "TV-55", "name": "电视", "unit_price": Decimal("3299.00"), "quantity": 1, "unit_cost": Decimal("2650.00")}]


def _rows(page: str) -> list[str]:
    return ROW.findall(page.split('data-testid="order-rows"')[1].split("</ul>")[0])


def _seed(app):
    with app.app_context():
        old = make_order(at=utcnow() - timedelta(hours=72)).order_no                      # overdue
        done = make_order(at=utcnow() - timedelta(hours=90), status="completed").order_no  # final: never overdue
        fresh = make_order(lines=TV, customer_name="=HYPERLINK(\"x\")").order_no           # new, big, hostile name
    return old, done, fresh


def test_overdue_filter_lists_only_overdue_orders_with_its_count(app, client, login_as):
    login_as("manager")
    old, _done, _fresh = _seed(app)
    page = client.get("/orders?overdue=1").get_data(as_text=True)
    assert _rows(page) == [old]
    tab = page.split('data-testid="overdue-tab"')[1].split("</a>")[0]
    assert "<b>1</b>" in tab
    assert "<b>1</b>" in client.get("/orders").get_data(as_text=True).split('data-testid="overdue-tab"')[1].split("</a>")[0]


def test_sort_oldest_and_by_amount(app, client, login_as):
    login_as("manager")
    old, done, fresh = _seed(app)
    assert _rows(client.get("/orders?sort=oldest").get_data(as_text=True)) == [done, old, fresh]
    assert _rows(client.get("/orders?sort=amount").get_data(as_text=True))[0] == fresh


def test_amount_sort_is_ignored_for_roles_that_cannot_read_amounts(app, client, login_as):
    login_as("support")
    old, done, fresh = _seed(app)
    page = client.get("/orders?sort=amount").get_data(as_text=True)
    assert _rows(page) == [fresh, old, done] and 'value="amount"' not in page


def test_oldest_first_pages_with_a_cursor(app, client, login_as, monkeypatch):
    login_as("manager")
    monkeypatch.setattr("webapp.orders.queries.PAGE_SIZE", 2)
    with app.app_context():
        numbers = [make_order(at=utcnow() - timedelta(hours=h)).order_no for h in (5, 4, 3, 2, 1)]
    seen, url = [], "/orders?sort=oldest"
    while url:
        page = client.get(url).get_data(as_text=True)
        seen += _rows(page)
        m = re.search(r'rel="next" href="([^"]+)"', page)
        url = m.group(1).replace("&amp;", "&") if m else None
    assert seen == numbers


def test_desk_table_has_the_columns(app, client, login_as):
    login_as("finance")
    _seed(app)
    table = client.get("/orders").get_data(as_text=True).split('data-testid="order-table"')[1].split("</table>")[0]
    assert table.count("<th ") == 9 and "¥3,299.00" in table.replace("¥ ", "¥")


def test_csv_export_keeps_filters_neutralises_formulas_and_hides_unreadable_fields(app, client, login_as):
    login_as("support")
    old, _done, fresh = _seed(app)
    resp = client.get("/orders/export.csv")
    assert resp.status_code == 200 and resp.is_streamed and "attachment" in resp.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(table) == 4
    body = resp.get_data(as_text=True)
    assert "3299" not in body and "2650" not in body  # support reads no amounts
    assert "'=HYPERLINK" in body
    filtered = list(csv.reader(io.StringIO(client.get("/orders/export.csv?overdue=1").get_data(as_text=True))))
    assert len(filtered) == 2 and old in filtered[1]


def test_xlsx_export_with_amounts_for_finance(app, client, login_as, monkeypatch):
    login_as("finance")
    monkeypatch.setattr("webapp.dashboard.exports.BATCH", 2)  # several keyset batches
    _seed(app)
    resp = client.get("/orders/export.xlsx?sort=oldest")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4
    assert any(v == Decimal("3299.00") or v == 3299 for row in rows for v in row)
    assert all(not (isinstance(v, str) and v.startswith("=")) for row in rows for v in row)
