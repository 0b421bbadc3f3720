"""Run marketplace pulls: one channel now (CLI, admin button) or every due channel (the worker, each minute).

A run reads the channel's update-time window page by page; each order commits on its own, and the
cursor (window, page key) is committed only after every order of a page was. A failed run (platform
down, token refused, busy twice) keeps the cursor where it was and waits 1, 2, 4 … up to 60 minutes
before the next try; a good run waits the channel's interval (5 minutes by default). A lease keeps two
workers from pulling one channel at once. Every run, good or failed, writes an intake log entry.
A page's orders are fetched a few at a time (the list gives only ids) while earlier ones are written.
"""
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from cryptography.fernet import InvalidToken
from flask import current_app
from sqlalchemy import or_, select, update

from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.intake.models import Channel, IntakeError, IntakeRun
from webapp.intake.pull.adapters import PlatformError, adapter_for, settings_of
from webapp.intake.pull.apply import PullOutcome, apply_one
from webapp.intake.pull.models import PullState

LEASE = timedelta(minutes=10)
INTERVAL_MINUTES = 5
FIRST_LOOKBACK = 86400  # a new channel starts with the orders updated in the last day
OVERLAP = 60  # seconds read again at the start of the next window (late writes on the platform)
MAX_BACKOFF_MINUTES = 60
FETCH_THREADS = 4  # orders fetched side by side while the previous ones are written
log = logging.getLogger(__name__)


class PullRefused(ValueError):
    """A pull that cannot start: no adapter, no service user, or another worker is pulling."""


def backoff(failures: int) -> timedelta:
    """Wait 1, 2, 4 … up to 60 minutes after consecutive failures."""
    return timedelta(minutes=min(2 ** max(failures - 1, 0), MAX_BACKOFF_MINUTES))


def state_of(channel: Channel) -> PullState:
    """Return the channel's pull state, creating it (committed) on first use."""
    state = db.session.scalar(select(PullState).where(PullState.channel_id == channel.id))
    if state is None:
        state = PullState(channel_id=channel.id)
        db.session.add(state)
        db.session.commit()
    return state


def _claim(state_id: int, now: datetime, due_only: bool) -> bool:
    """Take the channel's lease; only one of several racing workers gets True."""
    free = or_(PullState.lease_until.is_(None), PullState.lease_until < now)
    due = or_(PullState.next_run_at.is_(None), PullState.next_run_at <= now)
    result = db.session.execute(update(PullState).where(PullState.id == state_id, free, *([due] if due_only else []))
                                .values(lease_until=now + LEASE).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def pull_now(channel: Channel, now: datetime | None = None) -> IntakeRun:
    """Pull a channel now, whatever its schedule (the CLI, the admin's retry/pull-now action)."""
    return _run(channel, now or utcnow(), due_only=False)


def pull_soon(channel: Channel) -> None:
    """Make a channel due now (the worker pulls it within a minute) — for a backlog too big for a request."""
    state = state_of(channel)
    state.next_run_at = utcnow()
    db.session.commit()


def run_due(now: datetime | None = None) -> int:
    """Pull every active pull channel whose next run is due; return how many ran."""
    now = now or utcnow()
    ran = 0
    for channel in db.session.scalars(select(Channel).where(Channel.kind == "pull", Channel.active.is_(True))).all():
        try:
            if adapter_for(channel) is None or channel.user is None:
                continue
            _run(channel, now, due_only=True)
            ran += 1
        except PullRefused:
            continue
        except Exception:  # one broken channel (a bug, an unreadable secret) must not stop the others
            db.session.rollback()
            log.exception("pull of channel %s failed", channel.code)
    return ran


def _run(channel: Channel, now: datetime, due_only: bool) -> IntakeRun:
    try:
        adapter = adapter_for(channel)
    except InvalidToken:
        raise PullRefused(f"channel {channel.code!r}: its app secret cannot be read (SECRET_KEY changed?); "
                          "set it again with `channel platform`") from None
    if adapter is None:
        raise PullRefused(f"channel {channel.code!r} has no marketplace adapter (set one with `channel platform`)")
    if channel.user is None:
        raise PullRefused(f"channel {channel.code!r} has no service user")
    state = state_of(channel)
    if not _claim(state.id, now, due_only):
        raise PullRefused(f"channel {channel.code!r} is being pulled already, or not due")
    code, user, outcome = channel.code, channel.user, PullOutcome()
    try:
        _read(code, adapter, state, user, outcome, now)
    except PlatformError as exc:
        db.session.rollback()
        state.failures += 1
        state.next_run_at = now + backoff(state.failures)
        state.last_error = str(exc)[:2000]
        outcome.failed += 1
        outcome.errors.append((0, f"platform: {exc}", ""))
    else:
        interval = int(settings_of(channel).get("interval_minutes") or INTERVAL_MINUTES)
        state.failures, state.last_error = 0, ""
        state.next_run_at, state.last_success_at = now + timedelta(minutes=interval), utcnow()
    state.last_run_at, state.lease_until = utcnow(), None
    return _log(outcome, code, user, started=now)


def _read(code: str, adapter, state: PullState, user, outcome: PullOutcome, now: datetime) -> None:
    """Read windows from the cursor up to now, committing the cursor after each page's orders."""
    now_s = int(now.timestamp())
    if state.cursor is None:
        state.cursor = now_s - int(adapter.settings.get("lookback_seconds") or FIRST_LOOKBACK)
    pool = ThreadPoolExecutor(max_workers=int(adapter.settings.get("fetch_threads") or FETCH_THREADS))
    try:
        _windows(code, adapter, state, user, outcome, now_s, pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _windows(code, adapter, state: PullState, user, outcome: PullOutcome, now_s: int, pool) -> None:
    """Read each window page by page; the page key is committed only once the page's orders were."""
    while True:
        if state.window_end is None:
            state.window_end = min(now_s, state.cursor + adapter.window - 1)
        db.session.commit()
        page = adapter.list_updated(state.cursor, state.window_end, state.page_key)
        for external_id, pulled in zip(page.ids, _fetched(adapter, page.ids, pool)):
            outcome.lines += 1
            if not isinstance(pulled, PlatformError):
                apply_one(code, pulled, user, outcome, outcome.lines)
            elif pulled.transient or not pulled.per_order:  # the platform, not this order: stop before the cursor moves
                raise pulled
            else:
                outcome.failed += 1
                outcome.errors.append((outcome.lines, f"{external_id}: {pulled}", ""))
        if page.next_key:
            state.page_key = page.next_key
            continue
        end = state.window_end
        state.cursor = max(state.cursor, end - OVERLAP) if end >= now_s else end
        state.window_end, state.page_key = None, ""
        if end >= now_s:
            db.session.commit()
            return


def _fetched(adapter, ids: list, pool):
    """Fetch a page's orders a few at a time (the platform gives one per call); yield each, in the page's order."""
    app = current_app._get_current_object()

    def one(external_id):
        with app.app_context():
            try:
                return adapter.fetch(external_id)
            except PlatformError as exc:
                return exc
    return pool.map(one, ids)


def _log(outcome: PullOutcome, code: str, user, started: datetime) -> IntakeRun:
    """Write the run's intake log entry (counts and failures with the raw order) and commit it with the state."""
    run = IntakeRun(channel=code, source="pull", user_id=getattr(user, "id", None), created=outcome.created,
                    updated=outcome.updated, existing=outcome.existing, failed=outcome.failed,
                    started_at=started, finished_at=utcnow())
    run.errors = [IntakeError(line=line, message=message, raw=raw) for line, message, raw in outcome.errors[:1000]]
    db.session.add(run)
    db.session.commit()
    run.outcome = outcome
    return run
