"""Import jobs: an uploaded order file checked (dry run) or imported in the request or by the worker.

The file and the chosen column mapping live in the job's row, so any worker on any server can run
it. A run first claims the job (a conditional update: queued, or running with a lapsed lease), so a
task delivered twice or two workers never run it twice at once; a job taken over after a crash reads
the file again and finds the orders written before as existing (orders are unique on channel +
external id). Rows are streamed (openpyxl read-only, csv reader) and progress is written about once
a second for the screen to poll.
"""
import io
import json
import logging
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import or_, select, update

from webapp import jobs
from webapp.auth.models import User
from webapp.config import setting
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.intake import files, mappings, services
from webapp.intake.models import ImportJob

INLINE_ROWS = 100  # files up to this many rows run in the request (ORDERHUB_IMPORT_UI_MAX_ROWS)
LEASE = timedelta(minutes=2)  # a running job whose heartbeat is older is taken over
KEEP = timedelta(days=1)  # uploaded files are dropped from job rows after this
PROGRESS_EVERY = 1.0  # seconds between progress writes
ERRORS_KEPT = 50_000  # skipped rows kept in the downloadable error file
OPEN = ("queued", "running")
log = logging.getLogger(__name__)


def inline_rows() -> int:
    """Rows a file may have to be handled in the request; larger files go to the worker."""
    return int(setting("IMPORT_UI_MAX_ROWS", INLINE_ROWS))


def create(path, filename: str, channel: str, user) -> ImportJob:
    """Keep an uploaded file as a job waiting for its column mapping; raise FileRefused. Caller commits."""
    path = Path(path)
    header = files.header_row(path)  # refuses a wrong type, a zip bomb, an oversized or empty file
    job = ImportJob(channel=channel, filename=Path(filename).name[:255], user_id=getattr(user, "id", None),
                    state="mapping", header=json.dumps(header, ensure_ascii=False),
                    signature=mappings.signature(header), content=path.read_bytes(), total=files.count_rows(path),
                    message="", created_at=utcnow())
    db.session.add(job)
    db.session.flush()
    return job


def header_of(job: ImportJob) -> list[str]:
    """The job file's header row."""
    return json.loads(job.header or "[]")


def start(job: ImportJob, columns: dict, *, dry_run: bool, user) -> bool:
    """Queue a check or an import of the job's file with these columns; return whether it was startable.

    A job may start while waiting for its mapping, or after a finished check (to import it now).
    The mapping is remembered for the channel. Caller commits, then calls dispatch().
    """
    if not (job.state == "mapping" or (job.state == "done" and job.dry_run)):
        return False
    if not db.session.scalar(select(ImportJob.content.is_not(None)).where(ImportJob.id == job.id)):
        return False
    mappings.remember(job.channel, header_of(job), columns, user)
    job.columns, job.dry_run, job.state = mappings.dump(columns), dry_run, "queued"
    job.processed = job.created = job.existing = job.failed = 0
    job.message, job.errors_csv, job.finished_at, job.heartbeat_at = "", None, None, None
    return True


def dispatch(job_id: int, total: int) -> str:
    """Run a small job now (in the request) or queue it for the worker; return "inline" or "queued"."""
    if total <= inline_rows():
        run(job_id)
        return "inline"
    jobs.enqueue(run_import, job_id)
    return "queued"


def claim(job_id: int) -> bool:
    """Take the job for this process if nobody runs it (a lapsed lease counts as nobody); commit."""
    now = utcnow()
    taken = db.session.execute(
        update(ImportJob).where(ImportJob.id == job_id, or_(
            ImportJob.state == "queued",
            (ImportJob.state == "running") & (ImportJob.heartbeat_at < now - LEASE)))
        .values(state="running", heartbeat_at=now).execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return taken == 1


def run(job_id: int) -> bool:
    """Run the job if it can be claimed; return whether this call ran it."""
    if not claim(job_id):
        return False
    job = db.session.get(ImportJob, job_id)
    task = Task(job_id, db.session.get(User, job.user_id), job.channel, job.dry_run, header_of(job), job.filename)
    columns, progress = mappings.load(job.columns), Progress(job_id, task.outcome, task.dry_run)
    with tempfile.TemporaryDirectory(prefix="orderhub-import-") as folder:
        path = Path(folder) / ("upload" + Path(job.filename).suffix.lower())
        path.write_bytes(job.content)
        db.session.expire(job, ["content"])  # the bytes are on disk now; do not keep a copy in the session
        try:
            _header, columns, rows = files.read(path, columns)
            services.apply(files.drafts(progress.count(rows)), task.channel, task.user, dry_run=task.dry_run,
                           outcome=task.outcome)
        except files.FileRefused as exc:
            db.session.rollback()
            task.outcome.failed += 1
            task.outcome.errors.append((0, str(exc), ""))
            return task.finish(progress.rows, state="failed", message=str(exc))
        except Exception:
            db.session.rollback()
            log.exception("import job %s failed", job_id)
            return task.finish(progress.rows, state="failed", message="internal error; see the server log")
    db.session.rollback()  # a dry run's writes were in savepoints; nothing of them stays
    return task.finish(progress.rows, state="done")


class Progress:
    """Count rows as they stream by and write the job's progress (and lease) about once a second."""

    def __init__(self, job_id: int, outcome, dry_run: bool = False):
        self.job_id, self.outcome, self.rows, self.last = job_id, outcome, 0, time.monotonic()
        self.dry_run = dry_run

    def count(self, rows):
        """Pass rows through, counting them (the order before a row is written by the time it is asked for)."""
        for row in rows:
            self.rows += 1
            if time.monotonic() - self.last >= PROGRESS_EVERY:
                self.write()
            elif self.dry_run:
                # A dry run's orders were rolled back to their savepoints, but on SQLite the transaction still
                # holds the write lock: end it so other writers never wait for a long check.
                db.session.commit()
            yield row

    def write(self) -> None:
        """Store the counts so far (between two orders: nothing else is pending) and renew the lease."""
        self.last = time.monotonic()
        o = self.outcome
        db.session.execute(update(ImportJob).where(ImportJob.id == self.job_id).values(
            processed=self.rows, created=o.created, existing=o.existing, failed=o.failed, heartbeat_at=utcnow()))
        db.session.commit()


class Task:
    """What one run of a job needs besides the file: who, where, how, and its outcome so far."""

    def __init__(self, job_id, user, channel, dry_run, header, filename):
        self.job_id, self.user, self.channel, self.dry_run = job_id, user, channel, dry_run
        self.header, self.filename, self.started = header, filename, utcnow()
        self.outcome = services.Outcome()

    def finish(self, rows: int, *, state: str, message: str = "") -> bool:
        """Log the run, keep the skipped rows as a formula-safe CSV, and store the final counts."""
        o = self.outcome
        log_entry = services.log_run(o, channel=self.channel, source="file", user=self.user,
                                     filename=self.filename, dry_run=self.dry_run, started=self.started)
        errors = None
        if o.errors:
            buffer = io.StringIO()
            files.write_error_rows(buffer, self.header, [e for e in o.errors[:ERRORS_KEPT] if e[2]])
            errors = buffer.getvalue()
        total = db.session.scalar(select(ImportJob.total).where(ImportJob.id == self.job_id)) or 0
        db.session.execute(update(ImportJob).where(ImportJob.id == self.job_id).values(
            state=state, message=message[:2000], processed=rows, total=max(total, rows) if state == "done" else total,
            created=o.created, existing=o.existing, failed=o.failed, errors_csv=errors, run_id=log_entry.id,
            finished_at=utcnow(), heartbeat_at=utcnow()))
        db.session.commit()
        return True


def percent(job: ImportJob) -> int:
    """How far a job is, 0–100 (rows read of the estimated rows)."""
    if job.state == "done" or job.state == "failed":
        return 100
    return min(99, job.processed * 100 // job.total) if job.total else 0


@jobs.task()
def run_import(job_id: int) -> bool:
    """Run one queued import job (the worker's task)."""
    return run(job_id)


def drain() -> int:
    """Run every job that waits (a lost wake-up, a crashed worker's job); return how many ran."""
    now, ran = utcnow(), 0
    waiting = db.session.scalars(select(ImportJob.id).where(or_(
        ImportJob.state == "queued",
        (ImportJob.state == "running") & (ImportJob.heartbeat_at < now - LEASE))).order_by(ImportJob.id)).all()
    for job_id in waiting:
        ran += run(job_id)
    return ran


def sweep() -> int:
    """Drop the files of jobs older than a day (the counts and error file stay); return how many."""
    dropped = db.session.execute(update(ImportJob).where(
        ImportJob.created_at < utcnow() - KEEP, ImportJob.content.is_not(None),
        ImportJob.state.not_in(OPEN)).values(content=None)).rowcount
    db.session.commit()
    return dropped


@jobs.periodic(jobs.every(1))
def pump_imports() -> int:
    """Run waiting import jobs even when their wake-up was lost, and drop old uploads."""
    sweep()
    return drain()


jobs.at_start(drain)
