"""Background jobs run by `flask worker`; domains add theirs to JOBS."""
JOBS: list = []


def run_pending() -> int:
    """Run every registered job once; return how many ran."""
    for job in JOBS:
        job()
    return len(JOBS)
