"""Upload a CSV/XLSX order file on the intake screen: map its columns once, check (dry run), import.

The upload becomes an import job (webapp.intake.importjobs). A header row seen before from the same
channel reuses its remembered mapping at once; otherwise the user confirms the guessed columns. Small
files run in the request; larger ones run in the worker while the page polls the job's progress.
Rows with errors are skipped and offered as a formula-safe CSV to fix and upload again.
"""
import tempfile
from pathlib import Path

from flask import Response, abort, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.access.policy import policy_for, require
from webapp.core.db import utcnow
from webapp.core.render import is_htmx
from webapp.extensions import db
from webapp.intake import channels, files, importjobs, mappings, services
from webapp.intake.models import ImportJob, IntakeError
from webapp.intake.views import bp, page

MAPPING = "partials/intake/mapping.html"
JOB = "partials/intake/job.html"
SAMPLE_ROWS = 3  # rows shown under each column while mapping
SHOWN_ERRORS = 20  # skipped rows listed on the screen; all of them are in the error file


def _refused_status() -> int:
    # htmx 2 does not swap 4xx answers, so the message would never show; plain forms get 422.
    return 200 if is_htmx() else 422


def _refuse(message: str, channel: str, name: str, dry_run: bool):
    db.session.rollback()
    outcome = services.Outcome(failed=1, errors=[(0, message, "")])
    services.log_run(outcome, channel=channel[:16], source="file", user=current_user, filename=name,
                     dry_run=dry_run, started=utcnow())
    return page("partials/intake/result.html", _refused_status(), outcome=outcome, dry_run=False)


@bp.post("/intake/upload")
@login_required
def upload():
    """Keep an uploaded order file as a job; go on with its remembered mapping or ask for one."""
    require("intake")
    channel, dry_run = request.form.get("channel", ""), request.form.get("dry_run", "1") != "0"
    upload = request.files.get("file")
    name = Path(upload.filename or "").name if upload else ""
    try:
        channels.require(channel)
        if not name:
            raise files.FileRefused(_("Choose a CSV or XLSX file."))
        with tempfile.TemporaryDirectory(prefix="orderhub-upload-") as folder:
            path = Path(folder) / ("upload" + Path(name).suffix.lower())
            upload.save(path)
            job = importjobs.create(path, name, channel, current_user)
            samples = files.sample(path, SAMPLE_ROWS)
    except (files.FileRefused, channels.ChannelError) as exc:
        return _refuse(str(exc), channel, name, dry_run)
    header = importjobs.header_of(job)
    columns, known = mappings.preselect(channel, header)
    if known:
        try:
            return _start(job, files.require_columns(columns), dry_run)
        except files.FileRefused:
            pass  # a remembered mapping that no longer fits: ask again
    db.session.commit()
    return _mapping(job, columns, samples)


def _mapping(job: ImportJob, columns: dict, samples=None, error: str = "", status: int = 200):
    header = importjobs.header_of(job)
    samples = samples or []
    cols = [{"position": i, "title": title, "field": columns.get(i, ""),
             "samples": [row[i] for row in samples if i < len(row) and row[i]]} for i, title in enumerate(header)]
    return page(MAPPING, status, job=job, cols=cols, choices=mappings.field_choices(), error=error)


def _job_or_404(job_id: int) -> ImportJob:
    job = db.session.get(ImportJob, job_id)
    if job is None or (job.user_id != current_user.id and not policy_for(current_user).can("admin_console")):
        abort(404)
    return job


def _start(job: ImportJob, columns: dict, dry_run: bool):
    if not importjobs.start(job, columns, dry_run=dry_run, user=current_user):
        db.session.rollback()
        return _show(job)
    db.session.commit()
    importjobs.dispatch(job.id, job.total)
    db.session.expire_all()
    return _show(db.session.get(ImportJob, job.id))


def _show(job: ImportJob, status: int = 200):
    errors = db.session.scalars(select(IntakeError).where(IntakeError.run_id == job.run_id)
                                .order_by(IntakeError.id).limit(SHOWN_ERRORS)).all() if job.run_id else []
    has_file = db.session.scalar(select(ImportJob.content.is_not(None)).where(ImportJob.id == job.id))
    return page(JOB, status, job=job, percent=importjobs.percent(job), errors=errors,
                may_import=bool(job.dry_run and job.state == "done" and has_file),
                columns=mappings.load(job.columns))


@bp.get("/intake/jobs/<int:job_id>/mapping")
@login_required
def job_mapping(job_id: int):
    """Show the column mapping of an uploaded file again (to change it before importing)."""
    require("intake")
    job = _job_or_404(job_id)
    return _mapping(job, mappings.load(job.columns) or mappings.preselect(job.channel, importjobs.header_of(job))[0])


@bp.post("/intake/jobs/<int:job_id>/start")
@login_required
def job_start(job_id: int):
    """Check (dry_run=1) or import (dry_run=0) the file with the columns chosen (`col-<position>`)."""
    require("intake")
    job = _job_or_404(job_id)
    try:
        columns = mappings.from_form(request.form, importjobs.header_of(job))
    except files.FileRefused as exc:
        chosen = {i: request.form.get(f"col-{i}", "") for i in range(len(importjobs.header_of(job)))}
        return _mapping(job, chosen, error=str(exc), status=_refused_status())
    return _start(job, columns, request.form.get("dry_run", "1") != "0")


@bp.get("/intake/jobs/<int:job_id>")
@login_required
def job_status(job_id: int):
    """The job's progress (htmx polls this while it runs) or its final counts and links."""
    require("intake")
    job = _job_or_404(job_id)
    return job_mapping(job_id) if job.state == "mapping" else _show(job)


@bp.get("/intake/jobs/<int:job_id>/errors.csv")
@login_required
def job_errors(job_id: int):
    """Download the rows a job skipped, with the reason in a last column (formula-safe CSV)."""
    require("intake")
    job = _job_or_404(job_id)
    if not job.errors_csv:
        abort(404)
    stem = Path(job.filename).stem or "import"
    return Response("\ufeff" + job.errors_csv, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{_quote(stem)}-errors.csv"})


def _quote(text: str) -> str:
    from urllib.parse import quote
    return quote(text, safe="")
