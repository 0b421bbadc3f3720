"""Background work of parcel tracking: poll parcels whose aggregator has been silent for a day."""
from webapp import jobs

from webapp.carriers.tracking import services


@jobs.periodic(jobs.every(60))
def poll_quiet_parcels() -> int:
    """Queue a poll for each parcel in transit without news for 24 hours."""
    return services.queue_polls()
