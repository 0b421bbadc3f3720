"""Background work of marketplace pull: every minute, pull the channels whose next run is due."""
from webapp import jobs
from webapp.intake.pull import runner


@jobs.periodic(jobs.every(1))
def pull_due() -> int:
    """Pull every due pull channel (each keeps its own interval and backoff)."""
    return runner.run_due()
