"""Background work of the audit log: anchor the chain's head outside the database every hour."""
from webapp import jobs
from webapp.audit import anchors
from webapp.extensions import db


@jobs.periodic(jobs.every(60))
def hourly_checkpoint() -> dict:
    """Write a signed checkpoint of the chain's head to every anchor store."""
    try:
        return anchors.write_checkpoint()
    finally:
        db.session.rollback()  # end the read: SQLite holds a worker's transaction open otherwise
