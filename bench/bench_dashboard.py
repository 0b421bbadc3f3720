"""Dashboard at 100,000 orders on SQLite: backfilling a year of days, p50/p95 of the page, and the
board export of every order as CSV (streamed) and XLSX: time and peak Python memory (tracemalloc).

Sizes: BENCH_DASHBOARD_ORDERS (100000). Shipped orders get a confirmed and an outbound step (1–40 h
apart) on top of gen_orders' first step, so processing time has data.
"""
import os
import random
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

from bench import gen_orders
from bench.bench_orders import _prepare
from bench.common import PASSWORD, count_queries, table

REQUESTS = 60


def _add_steps(path: str) -> int:
    """Give shipped orders a confirmed step and an outbound step after it; return how many orders."""
    rng = random.Random(5)
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT id, created_at FROM orders WHERE status IN ('outbound', 'in_transit', 'completed')").fetchall()
    fmt, steps = "%Y-%m-%d %H:%M:%S.%f", []
    for oid, created in rows:
        confirmed = datetime.strptime(created, fmt) + timedelta(hours=1)
        outbound = confirmed + timedelta(hours=rng.randint(1, 40))
        steps += [(oid, "pending_payment", "confirmed", None, "system", "", confirmed.strftime(fmt)),
                  (oid, "in_production", "outbound", None, "system", "", outbound.strftime(fmt))]
    conn.executemany(gen_orders._insert("order_transitions", gen_orders.STEP_COLS), steps)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return len(rows)


def _pages(app, engine) -> list[list]:
    client = app.test_client()
    client.post("/login", data={"username": "manager", "password": PASSWORD})
    out = []
    for url in ("/dashboard?days=1", "/dashboard?days=7", "/dashboard?days=30", "/dashboard?days=90",
                "/orders?overdue=1", "/orders?overdue=1&sort=oldest", "/orders?sort=amount"):
        client.get(url)  # warm up (and store any missing day)
        with count_queries(engine) as sql:
            status = client.get(url).status_code
        times = []
        for _ in range(REQUESTS):
            t0 = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        out.append([url, f"{statistics.median(times):.1f}", f"{times[int(len(times) * .95) - 1]:.1f}", sql[0], status])
    return out


def _export(app, url: str, trace: bool) -> list:
    """Download url once: seconds (untraced) or the tracemalloc peak of Python allocations (traced)."""
    client = app.test_client()
    client.post("/login", data={"username": "manager", "password": PASSWORD})
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    resp = client.get(url)
    size = sum(len(chunk) for chunk in resp.response)
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    return [url, resp.status_code, f"{size / 1e6:.1f}", "" if trace else f"{seconds:.1f}",
            f"{peak / 1e6:.1f}" if trace else ""]


def main() -> None:
    """Generate the orders, backfill the days, time the pages and the exports."""
    from webapp import create_app
    from webapp.dashboard import facts, services
    from webapp.extensions import db
    n = int(os.environ.get("BENCH_DASHBOARD_ORDERS", 100_000))
    path = Path(tempfile.mkdtemp(prefix="orderhub-bench-dashboard-")) / "orders.db"
    url = f"sqlite:///{path}"
    ids = _prepare(url)
    gen_orders.fill_sqlite(str(path), n, ids["sales"])
    shipped = _add_steps(str(path))
    print(f"SQLite: {n:,} orders ({shipped:,} shipped with confirmed → outbound steps)", flush=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        engine = db.engine
        today = services.today()
        t0 = time.perf_counter()
        days = facts.fill(today - timedelta(days=365), today, today)
        print(f"backfill: {days} days computed in {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        facts.store(today)
        print(f"refresh today (the 5-minute job): {(time.perf_counter() - t0) * 1000:.0f} ms", flush=True)
        db.session.remove()
    print(table(_pages(app, engine), ["page (manager)", "p50 ms", "p95 ms", "SQL/page", "status"]), flush=True)
    print(f"\nexports in process: every order ({n:,}) timed; peak Python memory (tracemalloc, which slows"
          " Python several times) traced on the last 36 days (about a tenth) and on every order")
    tenth = f"?from={(today - timedelta(days=36)).isoformat()}"
    rows = [_export(app, "/orders/export.csv", False), _export(app, "/orders/export.xlsx", False),
            _export(app, "/orders/export.csv" + tenth, True), _export(app, "/orders/export.xlsx" + tenth, True),
            _export(app, "/orders/export.csv", True)]
    print(table(rows, ["export", "status", "MB", "seconds", "peak MB"]), flush=True)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
