"""`/metrics` for Prometheus: request latency per route, login failures, and the queue's state read at scrape time.

Request and login series are process counters; under gunicorn set PROMETHEUS_MULTIPROC_DIR (an empty
directory, wiped before start) so every worker's values are summed. Outbox depth and age, failed
deliveries and queue lag come from the database when scraped, so they are right whichever process answers.
Access: clients from ORDERHUB_METRICS_ALLOW (addresses or networks) or with `Authorization: Bearer
ORDERHUB_METRICS_TOKEN`.
"""
import hmac
import ipaddress
import time
from datetime import datetime, timezone

from flask import Blueprint, Response, abort, current_app, g, request
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram,
                               disable_created_metrics, generate_latest)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import event, func, select

from webapp.core.db import utcnow
from webapp.extensions import db

bp = Blueprint("ops_metrics", __name__)
disable_created_metrics()  # the *_created series only double the exposition
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)
REQUEST_SECONDS = Histogram("orderhub_http_request_duration_seconds", "Time to answer a request, by route rule.",
                            ["method", "route"], buckets=BUCKETS)
REQUESTS = Counter("orderhub_http_requests", "Requests answered, by route rule and status.",
                   ["method", "route", "status"])
LOGIN_FAILURES = Counter("orderhub_login_failures", "Failed login attempts, by outcome.", ["outcome"])


def route_of() -> str:
    """Name the request's route by its rule (never the raw path: one series per endpoint)."""
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def start_timer() -> None:
    """Note when the request started."""
    g.ops_started = time.perf_counter()


def observe(response):
    """Count the request and its latency under its route rule."""
    started = g.pop("ops_started", None)
    if started is not None:
        route = route_of()
        REQUEST_SECONDS.labels(request.method, route).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    return response


def _count_login_failure(_mapper, _connection, attempt) -> None:
    """Count a login attempt that did not succeed."""
    outcome = getattr(attempt, "outcome", "ok")
    if outcome != "ok":
        LOGIN_FAILURES.labels(outcome or "unknown").inc()


def watch_logins() -> None:
    """Count every failed login attempt as it is written."""
    from webapp.auth.models import LoginAttempt

    if not event.contains(LoginAttempt, "after_insert", _count_login_failure):
        event.listen(LoginAttempt, "after_insert", _count_login_failure)


class QueueCollector:
    """Gauges read from the database at scrape time: outbox depth and age, failures, queue lag."""

    def collect(self):
        """Yield the outbox and queue gauges."""
        from webapp.notify.models import OutboxMessage as M

        now = utcnow()
        depth = GaugeMetricFamily("orderhub_outbox_depth", "Outbox messages not yet delivered, by medium.",
                                  labels=["medium"])
        failed = GaugeMetricFamily("orderhub_outbox_failed", "Outbox messages given up as failed, by medium.",
                                   labels=["medium"])
        held = GaugeMetricFamily("orderhub_outbox_held", "Outbox messages held after a restore, waiting for an "
                                 "operator (flask outbox release|drop), by medium.", labels=["medium"])
        rows = db.session.execute(select(M.medium, M.status, func.count()).where(
            M.status.in_(("pending", "sending", "failed", "held"))).group_by(M.medium, M.status)).all()
        for medium in sorted({r[0] for r in rows}):
            depth.add_metric([medium], sum(n for m, s, n in rows if m == medium and s in ("pending", "sending")))
            failed.add_metric([medium], sum(n for m, s, n in rows if m == medium and s == "failed"))
            held.add_metric([medium], sum(n for m, s, n in rows if m == medium and s == "held"))
        oldest = db.session.scalar(select(func.min(M.created_at)).where(M.status.in_(("pending", "sending"))))
        due = db.session.scalar(select(func.min(M.next_attempt_at)).where(M.status == "pending",
                                                                           M.next_attempt_at <= now))
        db.session.rollback()
        yield depth
        yield failed
        yield held
        yield GaugeMetricFamily("orderhub_outbox_oldest_pending_age_seconds",
                                "Age of the oldest undelivered outbox message (0: none).", value=_age(oldest, now))
        yield GaugeMetricFamily("orderhub_queue_lag_seconds",
                                "How long the most overdue outbox message has been due (0: workers keep up).",
                                value=_age(due, now))
        yield _job_queue_length()


def _job_queue_length() -> GaugeMetricFamily:
    """Return the number of tasks waiting in the job queue (huey), -1 when the queue cannot be read."""
    from webapp import jobs

    try:
        length = jobs.bind(current_app._get_current_object()).storage.queue_size()
    except Exception:  # a queue outage is when this gauge matters: report it instead of failing the scrape
        length = -1
    return GaugeMetricFamily("orderhub_job_queue_length", "Tasks waiting in the job queue (-1: unreadable).",
                             value=length)


def _age(at, now) -> float:
    """Return seconds since `at` (0 when there is none)."""
    if at is None:
        return 0.0
    if isinstance(at, str):  # SQLite aggregates skip the column type: text in UTC
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return max(0.0, (now - at).total_seconds())


def _allowed() -> bool:
    """Say whether this client may read the metrics (allowed address or the bearer token)."""
    token = current_app.config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode()):
        return True
    try:
        client = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    for item in str(current_app.config.get("METRICS_ALLOW") or "").split(","):
        try:
            if item.strip() and client in ipaddress.ip_network(item.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


@bp.get("/metrics")
def metrics():
    """Answer the Prometheus text exposition (403 to clients not allowed)."""
    if not _allowed():
        abort(403)
    if current_app.config.get("METRICS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        MultiProcessCollector(processes, path=current_app.config["METRICS_MULTIPROC_DIR"])
    else:
        processes = REGISTRY
    queue = CollectorRegistry()
    queue.register(QueueCollector())
    return Response(generate_latest(processes) + generate_latest(queue), mimetype=CONTENT_TYPE_LATEST)
