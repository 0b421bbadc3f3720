"""The daily backup: one archive a day into ORDERHUB_BACKUP_DIR, the newest ORDERHUB_BACKUP_KEEP kept."""
import fcntl
import logging
import os
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app

from webapp import jobs
from webapp.ops import backup

log = logging.getLogger(__name__)
PREFIX, SUFFIX = "orderhub-", ".tar.gz"


def archives(directory: Path) -> list[Path]:
    """Return the scheduled archives in directory, oldest first (their names sort by time)."""
    return sorted(p for p in directory.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` scheduled archives; return those deleted."""
    doomed = archives(directory)[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def run_daily(now: datetime | None = None) -> Path | None:
    """Write today's backup unless one exists (several workers may be scheduled); prune; return the archive."""
    app = current_app._get_current_object()
    if not app.config.get("BACKUP_DIR"):
        return None
    directory = Path(app.config["BACKUP_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(timezone.utc)
    with open(directory / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # another worker is writing it right now
        if any(p.name.startswith(f"{PREFIX}{now:%Y%m%d}") for p in archives(directory)):
            return None
        path = directory / f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}"
        backup.create(app, path)
        os.chmod(path, 0o600)
        prune(directory, int(app.config.get("BACKUP_KEEP", 14)))
    log.info("scheduled backup written: %s", path)
    return path


@jobs.periodic(jobs.daily_at(3, 30))
def daily_backup() -> None:
    """Write the daily backup at 03:30 local time when ORDERHUB_BACKUP_DIR is set."""
    run_daily()
