"""Background work of the offline domain: forget Idempotency-Keys past their retention window."""
from webapp import jobs
from webapp.offline import idempotency


@jobs.periodic(jobs.every(60))
def prune_idempotency_keys() -> int:
    """Delete the keys older than idempotency.KEEP, hourly on the hour; return how many went."""
    return idempotency.prune()


jobs.at_start(idempotency.prune)
