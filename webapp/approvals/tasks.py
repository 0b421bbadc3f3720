"""Background work of the approvals domain: escalate approval levels left untouched too long."""
from webapp import jobs
from webapp.approvals import alerts


@jobs.periodic(jobs.every(5))
def sweep_escalations() -> int:
    """Escalate every level older than its rule's hours (default 4)."""
    return alerts.sweep()


jobs.at_start(alerts.sweep)
