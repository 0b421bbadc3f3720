"""Upload a CSV/XLSX order file on the intake screen: dry run or import, rows with errors listed.

A request handles small files only (ORDERHUB_IMPORT_UI_MAX_ROWS, default 500 rows); larger files are
imported with `flask import orders`, which streams and writes a formula-safe error file.
"""
import tempfile
from pathlib import Path

from flask import request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.access.policy import require
from webapp.config import setting
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.intake import channels, files, services
from webapp.intake.views import bp, page

UI_MAX_ROWS = 500


@bp.post("/intake/upload")
@login_required
def upload():
    """Check (dry run) or import an uploaded order file for one channel."""
    require("intake")
    channel, dry_run = request.form.get("channel", ""), request.form.get("dry_run") == "1"
    upload = request.files.get("file")
    name = Path(upload.filename or "").name if upload else ""
    started = utcnow()
    try:
        channels.require(channel)
        if not name:
            raise files.FileRefused(_("Choose a CSV or XLSX file."))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / ("upload" + Path(name).suffix.lower())
            upload.save(path)
            _header, _columns, rows = files.read(path)
            rows = list(_capped(rows, int(setting("IMPORT_UI_MAX_ROWS", UI_MAX_ROWS))))
            outcome = services.apply(files.drafts(iter(rows)), channel, current_user, dry_run=dry_run)
    except (files.FileRefused, channels.ChannelError) as exc:
        db.session.rollback()
        outcome = services.Outcome(failed=1, errors=[(0, str(exc), "")])
        services.log_run(outcome, channel=channel[:16], source="file", user=current_user, filename=name,
                         dry_run=dry_run, started=started)
        return page("partials/intake/result.html", 422, outcome=outcome, dry_run=dry_run)
    db.session.rollback()
    services.log_run(outcome, channel=channel, source="file", user=current_user, filename=name, dry_run=dry_run,
                     started=started)
    return page("partials/intake/result.html", outcome=outcome, dry_run=dry_run)


def _capped(rows, limit: int):
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise files.FileRefused(_("More than %(n)d rows: import this file with the command line.", n=limit))
        yield row
