"""Column mapping of uploaded files: guessed once, remembered per channel + header row, dry run with row errors,
the skipped rows as a formula-safe CSV, and re-importing the same file creates nothing."""
import csv
import io

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.intake.models import ColumnMapping, ImportJob
from webapp.orders.models import Order

HX = {"HX-Request": "true"}
# Headers no guess knows: the user maps them once.
HEADER = "单据,买家,联系方式,收货信息,货品,件"
GOOD = "S-1,王小明,13800138000,浙江省杭州市西湖区文三路90号,QC-5KG,2"
BAD = "S-2,李四,1380013800,浙江省杭州市西湖区文三路91号,QC-5KG,1"
FORMULA = "S-3,=HYPERLINK(\"x\"),13800138003,浙江省杭州市西湖区文三路92号,NOPE-1,1"
MAP = {"col-0": "external_id", "col-1": "customer_name", "col-2": "customer_phone", "col-3": "address",
       "col-4": "sku", "col-5": "quantity"}


def _file(*rows, header=HEADER) -> bytes:
    return ("\n".join((header,) + rows) + "\n").encode("utf-8")


def _upload(client, content: bytes, channel="shop", dry_run="1", name="shop.csv"):
    data = {"channel": channel, "dry_run": dry_run, "file": (io.BytesIO(content), name)}
    return client.post("/intake/upload", data=data, content_type="multipart/form-data", headers=HX)


def _last_job(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(ImportJob.id)))


def _orders(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Order))


def test_unknown_headers_ask_for_a_mapping_then_it_is_remembered_per_channel(app, client, login_as, catalogue):
    login_as("sales")
    page = _upload(client, _file(GOOD)).get_data(as_text=True)
    assert 'data-testid="intake-mapping"' in page and "买家" in page and "王小明" in page  # header + sample
    client.post(f"/intake/jobs/{_last_job(app)}/start", data=MAP | {"dry_run": "1"}, headers=HX)
    again = _upload(client, _file(GOOD)).get_data(as_text=True)
    assert 'data-testid="intake-job"' in again and "intake-mapping" not in again  # straight to the dry run
    other = _upload(client, _file(GOOD), channel="web").get_data(as_text=True)
    assert 'data-testid="intake-mapping"' in other  # another channel maps its own files
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ColumnMapping)) == 1
    assert _orders(app) == 0


def test_known_headers_are_preselected(app, client, login_as, catalogue):
    login_as("sales")
    page = _upload(client, _file(GOOD, header="订单号,客户,电话,地址,商品编码,数量")).get_data(as_text=True)
    assert '<option value="customer_phone" selected>' in page and '<option value="sku" selected>' in page


def test_a_mapping_without_required_fields_is_refused_with_a_message(app, client, login_as, catalogue):
    login_as("sales")
    _upload(client, _file(GOOD))
    page = client.post(f"/intake/jobs/{_last_job(app)}/start", data=MAP | {"col-4": "", "dry_run": "0"}, headers=HX)
    assert 'role="alert"' in page.get_data(as_text=True) and "sku" in page.get_data(as_text=True)
    twice = client.post(f"/intake/jobs/{_last_job(app)}/start", data=MAP | {"col-1": "address", "dry_run": "0"})
    assert twice.status_code == 422 and "address" in twice.get_data(as_text=True)
    assert _orders(app) == 0
    with app.app_context():
        assert db.session.scalar(select(ColumnMapping)) is None


def test_dry_run_lists_row_errors_then_import_skips_them_into_a_safe_file(app, client, login_as, catalogue):
    login_as("sales")
    _upload(client, _file(GOOD, BAD, FORMULA))
    job_id = _last_job(app)
    check = client.post(f"/intake/jobs/{job_id}/start", data=MAP | {"dry_run": "1"}, headers=HX).get_data(as_text=True)
    assert "新建 1 单" in check and check.count('class="row unclear"') == 2 and 'data-testid="job-import"' in check
    assert _orders(app) == 0
    done = client.post(f"/intake/jobs/{job_id}/start", data=MAP | {"dry_run": "0"}, headers=HX).get_data(as_text=True)
    assert "新建 1 单" in done and "job-errors-file" in done and _orders(app) == 1
    errors = client.get(f"/intake/jobs/{job_id}/errors.csv")
    assert errors.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(errors.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == HEADER.split(",") + ["error"] and [r[0] for r in rows[1:]] == ["S-2", "S-3"]
    assert rows[2][1].startswith("'=")  # a formula is neutralised, never run by a spreadsheet


def test_reimporting_the_same_file_creates_nothing(app, client, login_as, catalogue):
    login_as("sales")
    _upload(client, _file(GOOD))
    client.post(f"/intake/jobs/{_last_job(app)}/start", data=MAP | {"dry_run": "0"}, headers=HX)
    page = _upload(client, _file(GOOD), dry_run="0").get_data(as_text=True)
    assert "新建 0 单" in page and _orders(app) == 1


def test_another_users_job_is_not_shown(app, client, login_as, catalogue):
    login_as("sales")
    _upload(client, _file(GOOD))
    job_id = _last_job(app)
    login_as("sales", username="other")
    assert client.get(f"/intake/jobs/{job_id}").status_code == 404
    assert client.post(f"/intake/jobs/{job_id}/start", data=MAP | {"dry_run": "0"}).status_code == 404


def test_a_damaged_workbook_is_refused_with_a_message(app, client, login_as, catalogue):
    import zipfile
    login_as("sales")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not-a-workbook/>")
    resp = _upload(client, buffer.getvalue(), name="broken.xlsx")
    assert resp.status_code == 200 and 'role="alert"' in resp.get_data(as_text=True)  # htmx: shown in place
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportJob)) == 0
