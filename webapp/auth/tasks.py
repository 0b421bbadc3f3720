"""Background work of the auth domain: prune old login attempts and ended sessions once a day."""
import logging

from webapp import jobs
from webapp.auth import sessions, throttle
from webapp.extensions import db

log = logging.getLogger(__name__)


@jobs.periodic(jobs.daily_at(4, 10))
def prune_logins() -> tuple[int, int]:
    """Delete login attempts older than 30 days and sessions that ended over 30 days ago."""
    attempts, ended = throttle.prune(), sessions.prune()
    db.session.commit()
    log.info("pruned %d login attempts and %d ended sessions", attempts, ended)
    return attempts, ended
