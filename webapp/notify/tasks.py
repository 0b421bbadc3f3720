"""Background work of the notify domain: deliver the outbox, pump retries, sweep for overdue orders."""
from webapp import jobs
from webapp.notify import delivery, outbox, overdue, vapid


@jobs.task()
def deliver_due() -> int:
    """Deliver every due outbox message; queue another run for the next retry within a minute."""
    handled = delivery.drain()
    wait = outbox.next_due_in()
    if wait is not None and wait < 60:
        jobs.enqueue(deliver_due, delay=max(wait, 0.5))
    return handled


@jobs.periodic(jobs.every(1))
def pump() -> int:
    """Deliver what is due even if the wake-up after its commit was lost (queue down, crash)."""
    return delivery.drain()


@jobs.periodic(jobs.every(5))
def sweep_overdue() -> int:
    """Raise the 48-hour alarms and their escalations."""
    return overdue.sweep()


def wake() -> None:
    """Queue a delivery run right after a commit that wrote outbox messages."""
    jobs.enqueue(deliver_due)


outbox.on_commit(wake)
jobs.at_start(vapid.ensure)  # before any delivery holds a write lock (SQLite)
jobs.at_start(delivery.drain)
jobs.at_start(overdue.sweep)
