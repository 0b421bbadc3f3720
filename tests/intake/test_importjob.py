"""Large imports run as a background job: queued above the threshold, progress polled in place, run by the
worker (here `worker --once`), claimed once, idempotent when run again, a crashed run taken over."""
import io
from datetime import timedelta

from openpyxl import Workbook
from sqlalchemy import func, select, update

from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.intake import importjobs
from webapp.intake.models import ImportJob, IntakeRun
from webapp.orders.models import Order

HX = {"HX-Request": "true"}
HEADER = ["订单号", "客户", "电话", "地址", "商品编码", "数量"]


def _xlsx(rows: int, bad: int = 0) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for i in range(rows):
        phone = f"1380013{i:04d}" if i >= bad else "12345"
        sheet.append([f"J-{i}", f"客户{i}", phone, f"浙江省杭州市西湖区文三路{i}号", "QC-5KG", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, content: bytes, dry_run="0"):
    data = {"channel": "shop", "dry_run": dry_run, "file": (io.BytesIO(content), "big.xlsx")}
    return client.post("/intake/upload", data=data, content_type="multipart/form-data", headers=HX)


def _start(client, app, dry_run="0"):
    with app.app_context():
        job_id = db.session.scalar(select(func.max(ImportJob.id)))
    columns = {f"col-{i}": name for i, name in enumerate(
        ["external_id", "customer_name", "customer_phone", "address", "sku", "quantity"])}
    return job_id, client.post(f"/intake/jobs/{job_id}/start", data=columns | {"dry_run": dry_run}, headers=HX)


def _count(app, model=Order) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_file_above_the_threshold_is_queued_and_its_progress_polled(app, client, runner, login_as, catalogue):
    app.config["IMPORT_UI_MAX_ROWS"] = 2
    login_as("sales")
    _upload(client, _xlsx(4, bad=1))
    job_id, page = _start(client, app)
    html = page.get_data(as_text=True)
    assert 'data-state="queued"' in html and 'hx-trigger="every 1s"' in html and "job-progress" in html
    assert _count(app) == 0  # not in the request
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    done = client.get(f"/intake/jobs/{job_id}", headers=HX).get_data(as_text=True)
    assert 'data-state="done"' in done and "hx-trigger" not in done  # polling stops
    assert "新建 3 单" in done and f"/intake/jobs/{job_id}/errors.csv" in done and "#intake-log" in done
    assert _count(app) == 3
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert (job.processed, job.total, job.failed, importjobs.percent(job)) == (4, 4, 1, 100)
        assert db.session.get(IntakeRun, job.run_id).created == 3


def test_a_job_runs_once_however_often_it_is_delivered(app, client, login_as, catalogue):
    app.config["IMPORT_UI_MAX_ROWS"] = 1
    login_as("sales")
    _upload(client, _xlsx(3))
    job_id, _page = _start(client, app)
    with app.app_context():
        assert importjobs.run(job_id) is True
        assert importjobs.run(job_id) is False  # a second delivery of the task: nothing to claim
        assert importjobs.drain() == 0
    assert _count(app) == 3 and _count(app, IntakeRun) == 1


def test_a_crashed_run_is_taken_over_and_creates_nothing_twice(app, client, login_as, catalogue):
    app.config["IMPORT_UI_MAX_ROWS"] = 1
    login_as("sales")
    _upload(client, _xlsx(3))
    job_id, _page = _start(client, app)
    with app.app_context():
        importjobs.run(job_id)
        # As if a worker died mid-run: still "running", its lease lapsed.
        db.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(
            state="running", heartbeat_at=utcnow() - timedelta(minutes=10)))
        db.session.commit()
        assert importjobs.drain() == 1
        job = db.session.get(ImportJob, job_id)
        assert (job.state, job.created, job.existing) == ("done", 0, 3)
    assert _count(app) == 3


def test_a_running_job_with_a_live_lease_is_left_alone(app, client, login_as, catalogue):
    app.config["IMPORT_UI_MAX_ROWS"] = 1
    login_as("sales")
    _upload(client, _xlsx(2))
    job_id, _page = _start(client, app)
    with app.app_context():
        db.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(state="running",
                                                                                  heartbeat_at=utcnow()))
        db.session.commit()
        assert importjobs.run(job_id) is False
    page = client.get(f"/intake/jobs/{job_id}").get_data(as_text=True)
    assert "<html" in page and 'hx-trigger="every 1s"' in page  # the full page polls too


def test_a_file_refused_mid_stream_fails_the_job_with_its_reason(app, client, login_as, catalogue):
    app.config["IMPORT_UI_MAX_ROWS"] = 1
    app.config["IMPORT_MAX_ROWS"] = 2
    login_as("sales")
    _upload(client, _xlsx(4))
    job_id, _page = _start(client, app)
    with app.app_context():
        importjobs.run(job_id)
        job = db.session.get(ImportJob, job_id)
        assert job.state == "failed" and "more than 2 rows" in job.message
    page = client.get(f"/intake/jobs/{job_id}", headers=HX).get_data(as_text=True)
    assert 'role="alert"' in page and "more than 2 rows" in page


def test_old_uploads_are_dropped_but_the_counts_stay(app, client, login_as, catalogue):
    login_as("sales")
    _upload(client, _xlsx(1))
    job_id, _page = _start(client, app)
    with app.app_context():
        db.session.execute(update(ImportJob).values(created_at=utcnow() - timedelta(days=2)))
        db.session.commit()
        assert importjobs.sweep() == 1
        job = db.session.get(ImportJob, job_id)
        assert job.content is None and job.created == 1


def test_a_background_check_writes_nothing_then_import_now_imports(app, client, login_as, catalogue):
    app.config["IMPORT_UI_MAX_ROWS"] = 1
    login_as("sales")
    _upload(client, _xlsx(3, bad=1))
    job_id, page = _start(client, app, dry_run="1")
    assert 'data-state="queued"' in page.get_data(as_text=True)
    with app.app_context():
        assert importjobs.run(job_id)
    checked = client.get(f"/intake/jobs/{job_id}", headers=HX).get_data(as_text=True)
    assert "新建 2 单" in checked and "试运行" in checked and 'data-testid="job-import"' in checked
    assert _count(app) == 0
    _id, again = _start(client, app, dry_run="0")  # the "Import now" button: same job, same columns
    assert 'data-state="queued"' in again.get_data(as_text=True)
    with app.app_context():
        assert importjobs.drain() == 1
    assert _count(app) == 2
