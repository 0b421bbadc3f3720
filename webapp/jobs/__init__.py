"""The task queue (Huey): SQLite under instance/ by default, Redis when REDIS_URL is set.

Domains declare work with @task() (queued, run by `flask worker`) and @periodic(when) (scheduled);
every task runs inside the app's context. Queued tasks only say "there is work": the work itself
lives in database rows (e.g. the notify outbox) that workers claim atomically, so a task run twice,
by two workers or after a crash, never does the work twice.
"""
import functools
import logging
import os
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.consumer import Consumer
from huey.storage import BlackHoleStorage, RedisStorage, SqliteStorage

log = logging.getLogger(__name__)
huey = Huey("orderhub", results=False, utc=True, storage_class=BlackHoleStorage)
JOBS: list = []  # plain callables run once a minute by the worker (and by `worker --once`)
CATCH_UP: list = []  # callables run when a worker starts: work that piled up while none ran
_bound: dict = {"app": None, "key": None}


def storage_spec(app: Flask) -> tuple:
    """Say which queue storage the app uses: ('redis', url) | ('sqlite', path) | ('none', '')."""
    url = app.config.get("HUEY_REDIS_URL") or app.config.get("REDIS_URL")
    if url:
        return "redis", url
    path = app.config.get("HUEY_FILE") or os.environ.get("ORDERHUB_HUEY_FILE")
    if path is None and not app.config.get("TESTING"):
        path = os.path.join(app.instance_path, "huey.db")
    return ("sqlite", path) if path else ("none", "")


def bind(app: Flask) -> Huey:
    """Point the queue at this app's storage; tasks then run in this app's context."""
    name = app.config.get("HUEY_NAME") or os.environ.get("ORDERHUB_HUEY_NAME") or "orderhub"
    kind, where = storage_spec(app)
    key = (kind, where, name)
    if _bound["key"] != key:
        huey.name = name
        if kind == "redis":
            huey.storage = RedisStorage(name, url=where, blocking=True, read_timeout=1)
        elif kind == "sqlite":
            huey.storage = SqliteStorage(name, filename=where, timeout=15)
        else:
            huey.storage = BlackHoleStorage(name)  # tests without a queue drive the work directly
        _bound["key"] = key
    _bound["app"] = app
    return huey


def _in_app(fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        app = _bound["app"]
        if app is None:
            raise RuntimeError("jobs.bind(app) was not called")
        with app.app_context():
            return fn(*args, **kwargs)
    return run


def task(**options):
    """Declare a queued task: call it (or enqueue()) to queue a run; the worker runs it."""
    return lambda fn: huey.task(**options)(_in_app(fn))


def periodic(when, **options):
    """Declare a scheduled task; `when(dt_utc)` says whether it is due at that minute."""
    def validate(dt: datetime) -> bool:
        return when(dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt)
    return lambda fn: huey.periodic_task(validate, **options)(_in_app(fn))


def every(minutes: int):
    """Return a schedule due every `minutes` minutes."""
    return lambda dt: dt.minute % minutes == 0


def daily_at(hour: int, minute: int, tz_name: str | None = None):
    """Return a schedule due once a day at hour:minute local time (ORDERHUB_TZ by default)."""
    def due(dt: datetime) -> bool:
        zone = tz_name or (_bound["app"].config["ORDERHUB_TZ"] if _bound["app"] else "Asia/Shanghai")
        local = dt.astimezone(ZoneInfo(zone))
        return local.hour == hour and local.minute == minute
    return due


def enqueue(task_fn, *args, delay: float | None = None) -> bool:
    """Queue a task for the current app; never fail the caller (the periodic pump catches up)."""
    if not has_app_context():
        return False
    bind(current_app._get_current_object())
    try:
        if delay:
            task_fn.schedule(args=args, delay=delay)
        else:
            task_fn(*args)
        return True
    except Exception:  # a queue outage must not undo the change that was committed
        log.exception("could not queue %s; the periodic pump will pick the work up", task_fn.name)
        return False


@periodic(every(1))
def run_plain_jobs() -> int:
    """Run the plain callables domains put in JOBS."""
    return run_pending()


def run_pending() -> int:
    """Run every registered plain job once; return how many ran."""
    for job in JOBS:
        job()
    return len(JOBS)


def at_start(fn):
    """Register fn() to run (in the app context) whenever a worker starts."""
    if fn not in CATCH_UP:
        CATCH_UP.append(fn)
    return fn


def catch_up() -> int:
    """Run the start-up work and the plain jobs once; return how many callables ran."""
    for fn in CATCH_UP:
        _in_app(fn)()  # each in a context (and database session) of its own
    _in_app(run_pending)()
    return len(CATCH_UP) + len(JOBS)


def consumer(app: Flask, workers: int = 2) -> Consumer:
    """Build the consumer for this app: worker threads, the scheduler, quick polling."""
    bind(app)
    return Consumer(huey, workers=workers, worker_type="thread", periodic=True, initial_delay=0.05,
                    backoff=1.2, max_delay=float(app.config.get("HUEY_MAX_DELAY", 0.5)),
                    graceful_signal="TERM", shutdown_timeout=30, check_worker_health=True)


def init_app(app: Flask) -> None:
    """Add `flask worker` to the app's CLI."""
    from webapp.jobs.cli import worker

    app.cli.add_command(worker)
