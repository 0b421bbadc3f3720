"""Push delivery latency: order change committed → push received (decrypted) by a local push service.

A real `flask worker` process delivers; the queue is SQLite (the default) and, when REDIS_URL or
REDIS_TEST_URL is set, Redis too. Each order is confirmed one at a time through the orders write
service; its warehouse user's device is a local HTTP push service that decrypts what arrives. The
first order only warms the worker up (process start, imports) and is not counted.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import ROOT, table

N = 50


def _app(url: str, queue_env: dict):
    from webapp import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "OUTBOUND_ALLOW": "127.0.0.1",
                      "HUEY_FILE": queue_env.get("ORDERHUB_HUEY_FILE"),
                      "HUEY_REDIS_URL": queue_env.get("REDIS_URL"), "HUEY_NAME": queue_env["ORDERHUB_HUEY_NAME"],
                      "VAPID_KEY_FILE": str(Path(tempfile.mkdtemp()) / "vapid.pem")})
    return app


def _setup(app, push) -> tuple[list[str], str]:
    """Create a warehouse user with a device and N pending orders; return their numbers and the VAPID PEM."""
    from tests.factories import make_order, make_user
    from webapp.extensions import db
    from webapp.notify import services
    from webapp.notify.vapid import vapid
    with app.app_context():
        packer = make_user("warehouse", f"packer-{uuid.uuid4().hex[:6]}", ["east"])
        services.subscribe(packer, push.device("packer").to_json(), "bench")
        db.session.commit()
        numbers = [make_order().order_no for _ in range(N + 1)]  # the first one warms the worker up
        return numbers, vapid(app).private_pem().decode()


def _confirm(order_no: str) -> None:
    """Confirm an order through the write service (or, before it exists, the way it will)."""
    from webapp.extensions import db
    from webapp.orders import services
    if hasattr(services, "transition"):
        services.transition(order_no, "confirmed", actor=None, via="system")
    else:
        from sqlalchemy import select

        from webapp.core.db import utcnow
        from webapp.orders.hooks import OrderEvent, emit
        from webapp.orders.models import Order, OrderTransition
        order = db.session.scalar(select(Order).where(Order.order_no == order_no))
        order.status, order.state_changed_at = "confirmed", utcnow()
        db.session.add(OrderTransition(order_id=order.id, from_state="pending_payment", to_state="confirmed",
                                       via="system", at=utcnow()))
        emit(OrderEvent("transition", order, None, "system", from_state="pending_payment", to_state="confirmed"))
    db.session.commit()


def run(label: str, url: str, queue_env: dict) -> list:
    """Measure N sequential order changes against one worker using the given queue."""
    from tests.notify.pushservice import PushService
    push = PushService()
    app = _app(url, queue_env)
    numbers, pem = _setup(app, push)
    env = os.environ | queue_env | {"DATABASE_URL": url, "VAPID_PRIVATE_KEY": pem}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    try:
        for i, order_no in enumerate(numbers):
            with app.app_context():
                t0 = time.perf_counter()
                _confirm(order_no)
            if not push.wait_for(i + 1, timeout=60):
                raise RuntimeError(f"{label}: push for {order_no} never arrived")
            if i:
                times.append((push.received[i]["at"] - t0) * 1000)
            time.sleep(0.3)  # let the worker's polling back off a little, as between real orders
        got = {m["order"]["order_no"] for m in push.messages()}
        assert got == set(numbers) and len(push.received) == N + 1, "lost or duplicated pushes"
    finally:
        worker.terminate()
        worker.wait(timeout=40)
        push.close()
        if queue_env.get("REDIS_URL"):
            from webapp import jobs
            jobs.bind(app).storage.flush_all()
    times.sort()
    return [label, N, f"{statistics.median(times):.0f}", f"{times[int(N * 0.9) - 1]:.0f}", f"{times[-1]:.0f}"]


def main() -> None:
    """Print order change → push received latency for each available queue backend."""
    from bench.common import seeded_sqlite
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="orderhub-bench-notify-"))
    rows.append(run("SQLite db + SQLite queue", seeded_sqlite(0),
                    {"ORDERHUB_HUEY_FILE": str(tmp / "huey.db"), "ORDERHUB_HUEY_NAME": "bench"}))
    redis = os.environ.get("REDIS_URL") or os.environ.get("REDIS_TEST_URL")
    if redis:
        rows.append(run("SQLite db + Redis queue", seeded_sqlite(0),
                        {"REDIS_URL": redis, "ORDERHUB_HUEY_NAME": f"bench-{uuid.uuid4().hex[:6]}"}))
    print(f"order confirmed (commit) → push decrypted at a local push service, {N} sequential orders, 1 worker")
    print(table(rows, ["setup", "n", "p50 ms", "p90 ms", "max ms"]))
