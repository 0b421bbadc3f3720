"""Background work of the warehouse domain: remove photo files whose upload never committed."""
from datetime import timedelta

from flask import current_app

from webapp import jobs
from webapp.warehouse import photos


@jobs.periodic(jobs.every(15))
def sweep_photo_orphans() -> int:
    """Delete photo files with no row that are older than ORPHAN_MINUTES; return how many went."""
    return photos.sweep_orphans(timedelta(minutes=current_app.config["ORPHAN_MINUTES"]))
