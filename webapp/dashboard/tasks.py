"""Keep the dashboard's days current: today every 5 minutes, yesterday after midnight, gaps at start."""
from datetime import timedelta

from webapp import jobs
from webapp.dashboard import facts, services

BACKFILL_DAYS = 90


@jobs.periodic(jobs.every(5))
def refresh_today() -> int:
    """Recompute today's facts (and fill yesterday if it is missing)."""
    now = services.today()
    facts.store_overdue()
    return facts.fill(now - timedelta(days=1), now, now, max_age=timedelta(0))


@jobs.periodic(jobs.daily_at(0, 5))
def close_yesterday() -> int:
    """Recompute yesterday once it is over (steps taken just before midnight)."""
    return facts.store(services.today() - timedelta(days=1))


jobs.at_start(lambda: facts.fill(services.today() - timedelta(days=BACKFILL_DAYS), services.today(), services.today()))
