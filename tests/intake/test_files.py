"""`flask import orders FILE`: CSV and XLSX, header mapping, grouping, idempotency and every bad input."""
import csv
import zipfile

from openpyxl import Workbook
from sqlalchemy import select

from webapp.extensions import db
from webapp.orders.models import Order

HEADER = ["订单号", "客户", "电话", "地址", "商品编码", "数量", "备注"]
ROWS = [
    ["T-1001", "王小明", "13800138000", "浙江省杭州市西湖区文三路90号", "QC-5KG", "2", ""],
    ["T-1001", "王小明", "13800138000", "浙江省杭州市西湖区文三路90号", "JU-5KG", "1", ""],
    ["T-1002", "李红", "13900139000", "上海市浦东新区张江路100弄5号", "PG-10", "3", "下午送"],
]


def _csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8-sig") as out:
        csv.writer(out).writerows([header] + rows)
    return path


def _xlsx(path, rows, header=HEADER):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in [header] + rows:
        sheet.append(row)
    book.save(path)
    return path


def _run(runner, path, *extra, channel="shop"):
    result = runner.invoke(args=["import", "orders", str(path), "--channel", channel, "--user", "xiaoshou", *extra])
    return result, result.output.strip().splitlines()


def test_csv_import_groups_lines_and_is_idempotent(app, runner, catalogue, seller, tmp_path):
    path = _csv(tmp_path / "orders.csv", ROWS)
    _result, lines = _run(runner, path, "--dry-run")
    assert lines[-1] == "created 2, existing 0, failed 0"
    _result, lines = _run(runner, path)
    assert lines[-1] == "created 2, existing 0, failed 0"
    _result, lines = _run(runner, path)
    assert lines[-1] == "created 0, existing 2, failed 0"
    with app.app_context():
        orders = list(db.session.scalars(select(Order).order_by(Order.id)))
        assert [(o.external_id, len(o.lines)) for o in orders] == [("T-1001", 2), ("T-1002", 1)]
        assert orders[1].notes == "下午送" and orders[0].channel == "shop"


def test_xlsx_import_with_english_headers(app, runner, catalogue, seller, tmp_path):
    header = ["external_id", "customer_name", "customer_phone", "address", "sku", "quantity"]
    path = _xlsx(tmp_path / "orders.xlsx", [[r[0], r[1], int(r[2]), r[3], r[4], int(r[5])] for r in ROWS], header)
    _result, lines = _run(runner, path)
    assert lines[-1] == "created 2, existing 0, failed 0"
    _result, lines = _run(runner, path)
    assert lines[-1] == "created 0, existing 2, failed 0"


def test_rows_without_external_id_are_deduplicated_by_content(app, runner, catalogue, seller, tmp_path):
    rows = [r[1:] for r in ROWS[2:]] * 2  # the same row twice
    path = _csv(tmp_path / "orders.csv", rows, HEADER[1:])
    _result, lines = _run(runner, path)
    assert lines[-1] == "created 1, existing 1, failed 0"


def test_bad_rows_are_skipped_and_written_formula_safe(app, runner, catalogue, seller, tmp_path):
    rows = [
        ["T-1", "=HYPERLINK(\"http://x\")", "13800138000", "浙江省杭州市西湖区文三路90号", "QC-5KG", "1", ""],
        ["T-2", "王五", "1380013800", "浙江省杭州市西湖区文三路90号", "QC-5KG", "1", ""],
        ["T-3", "赵六", "13800138002", "浙江省杭州市西湖区文三路90号", "NOPE", "1", ""],
        ["T-4", "钱七", "13800138003", "浙江省杭州市西湖区文三路90号", "QC-5KG", "0", ""],
        ["T-5", "孙八", "13800138004", "浙江省杭州市西湖区文三路90号", "QC-5KG", "1", ""],
    ]
    path = _csv(tmp_path / "orders.csv", rows)
    _result, lines = _run(runner, path)
    assert lines[-1] == "created 1, existing 0, failed 4"
    assert "formula" in lines[1] and "customer_phone" in lines[2] and "NOPE" in lines[3]
    errors = list(csv.reader(open(f"{path}.errors.csv", encoding="utf-8-sig")))
    assert errors[0][-1] == "error" and len(errors) == 5
    assert errors[1][1].startswith("'=")  # a spreadsheet shows the formula as text, never runs it


def test_refused_files(app, runner, seller, tmp_path):
    text = tmp_path / "orders.txt"
    text.write_text("hello")
    result, _ = _run(runner, text)
    assert result.exit_code != 0 and "only CSV and XLSX" in result.output
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip")
    result, _ = _run(runner, fake)
    assert result.exit_code != 0 and "not an XLSX" in result.output
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    result, _ = _run(runner, bomb)
    assert result.exit_code != 0 and "zip bomb" in result.output
    headless = _csv(tmp_path / "nohead.csv", [["a", "b"]], ["foo", "bar"])
    result, _ = _run(runner, headless)
    assert result.exit_code != 0 and "header row lacks" in result.output


def test_size_and_row_limits(app, runner, catalogue, seller, tmp_path):
    path = _csv(tmp_path / "orders.csv", ROWS)
    app.config["IMPORT_MAX_ROWS"] = 2
    result, _ = _run(runner, path)
    assert result.exit_code != 0 and "more than 2 rows" in result.output
    app.config["IMPORT_MAX_ROWS"], app.config["IMPORT_MAX_BYTES"] = None, 100
    result, _ = _run(runner, path)
    assert result.exit_code != 0 and "larger than" in result.output
    with app.app_context():
        from webapp.intake.models import IntakeRun
        assert [r.failed for r in db.session.scalars(select(IntakeRun))] == [1, 1]
