"""Webhook delivery: latency from an order change's commit to receipt at a local receiver, and throughput.

A real `flask worker` process (2 threads) delivers through the outbox; the receiver is a local
HTTP server on 127.0.0.1 answering 200. Latency: N orders confirmed one at a time through the
orders write service (the first only warms the worker up). Throughput: 1,000 events for 1,000
different orders written in one transaction while the worker idles, timed until the last arrives.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import ROOT, seeded_sqlite, table

N = 50
BULK = 1000


def _app(url: str, receiver, queue: str):
    from webapp import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "OUTBOUND_ALLOW": receiver.allow, "HUEY_FILE": queue,
                       "HUEY_NAME": "bench"})


def _endpoint(app, receiver) -> None:
    from webapp.extensions import db
    from webapp.webhooks import services
    with app.app_context():
        services.create(receiver.url, ["order.status_changed", "order.updated"], "admin")
        db.session.commit()


def _worker(app, url: str, receiver, queue: str) -> subprocess.Popen:
    env = os.environ | {"DATABASE_URL": url, "SECRET_KEY": app.config["SECRET_KEY"], "ORDERHUB_HUEY_FILE": queue,
                        "ORDERHUB_HUEY_NAME": "bench", "ORDERHUB_OUTBOUND_ALLOW": receiver.allow}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def latency(app, receiver) -> list:
    """Confirm N+1 pending orders one by one; return [n, p50, p95, max] in ms from commit to receipt."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.orders import services
    from webapp.orders.models import Order
    with app.app_context():
        numbers = list(db.session.scalars(select(Order.order_no).where(Order.status == "pending_payment")
                                          .order_by(Order.id).limit(N + 1)))
    times = []
    for i, order_no in enumerate(numbers):
        with app.app_context():
            services.transition(order_no, "confirmed", actor=None, via="system")
            t0 = time.perf_counter()
            db.session.commit()
        if not receiver.wait_for(i + 1, timeout=60):
            raise RuntimeError(f"webhook for {order_no} never arrived")
        if i:
            times.append((receiver.received[i]["at"] - t0) * 1000)
        time.sleep(0.3)  # let the worker's polling back off a little, as between real orders
    times.sort()
    return [len(times), f"{statistics.median(times):.0f}", f"{times[int(len(times) * 0.95) - 1]:.0f}",
            f"{times[-1]:.0f}"]


def throughput(app, receiver) -> list:
    """Queue BULK events in one commit; return [events, seconds, events/s] until the last is received."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.orders.models import Order
    from webapp.webhooks import events
    start = len(receiver.received)
    with app.app_context():
        endpoint = events.active_endpoints("order.updated")[0]
        for order in db.session.scalars(select(Order).order_by(Order.id.desc()).limit(BULK)):
            events.queue(endpoint, "order.updated", order, {"changed": []})
        t0 = time.perf_counter()
        db.session.commit()
    if not receiver.wait_for(start + BULK, timeout=600):
        raise RuntimeError(f"only {len(receiver.received) - start} of {BULK} arrived")
    seconds = receiver.received[-1]["at"] - t0
    ids = {r["headers"]["webhook-id"] for r in receiver.received[start:]}
    assert len(ids) == BULK == len(receiver.received) - start, "lost or duplicated events"
    return [BULK, f"{seconds:.1f}", f"{BULK / seconds:.0f}"]


def main() -> None:
    """Print commit → receipt latency and bulk throughput for one worker on SQLite."""
    from tests.webhooks.receiver import Receiver
    receiver = Receiver()
    url = seeded_sqlite(BULK + N + 1)
    queue = str(Path(tempfile.mkdtemp(prefix="orderhub-bench-webhooks-")) / f"huey-{uuid.uuid4().hex[:6]}.db")
    app = _app(url, receiver, queue)
    _endpoint(app, receiver)
    worker = _worker(app, url, receiver, queue)
    try:
        time.sleep(3)  # worker start-up (imports, catch-up) is not what is measured
        lat = latency(app, receiver)
        thr = throughput(app, receiver)
    finally:
        worker.terminate()
        worker.wait(timeout=40)
        receiver.close()
    print("order confirmed (commit) → signed webhook received at a local receiver, 1 worker (2 threads), SQLite")
    print(table([lat], ["n", "p50 ms", "p95 ms", "max ms"]))
    print(f"\n{BULK} queued events (one per order) → all received")
    print(table([thr], ["events", "seconds", "events/s"]))
