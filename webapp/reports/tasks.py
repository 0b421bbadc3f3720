"""The nightly report: made at 00:10 ORDERHUB_TZ for the day before, and caught up when missed."""
from webapp import jobs
from webapp.reports import services


@jobs.periodic(jobs.daily_at(0, 10))
def nightly_report() -> bool:
    """Make (or remake) yesterday's report."""
    return services.store(services.yesterday())


@jobs.periodic(jobs.every(5))
def catch_up_report() -> bool:
    """Make yesterday's report if no worker was running at 00:10."""
    return services.store(services.yesterday(), only_if_missing=True)


jobs.at_start(lambda: services.store(services.yesterday(), only_if_missing=True))
