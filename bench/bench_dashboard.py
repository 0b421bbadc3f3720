"""Dashboard at 100,000 orders on SQLite: backfilling a year of days, p50/p95 of the page, and the
board export of every order as CSV (streamed) and XLSX: time and peak Python memory (tracemalloc).

Sizes: BENCH_DASHBOARD_ORDERS (100000), BENCH_DASHBOARD_REQUESTS (60 per page), BENCH_DASHBOARD_EXPORTS
(1: also time the exports). BENCH_DASHBOARD_PG=postgresql+psycopg://… runs it on a new PostgreSQL database
there instead (dropped afterwards), e.g. with BENCH_DASHBOARD_ORDERS=1000000. Shipped orders get a confirmed and an outbound step (1–40 h apart) on top of
gen_orders' first step, so processing time has data, and 0–3 customer views of the tracking page.
Each page is timed as wall time and as this process's CPU time (time.process_time): on a loaded machine
the wall time includes waiting for a core, the CPU time does not. Reported with the page's HTML size.
"""
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

from bench import gen_orders
from bench.bench_orders import _prepare
from bench.common import PASSWORD, count_queries, table

REQUESTS = int(os.environ.get("BENCH_DASHBOARD_REQUESTS", 60))


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
    views = [(oid, (datetime.strptime(created, fmt) + timedelta(hours=rng.randint(2, 72))).strftime(fmt))
             for oid, created in rows for _ in range(rng.randint(0, 3))]
    conn.executemany("INSERT INTO tracking_views (order_id, at) VALUES (?, ?)", views)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return len(rows)


PG_STEPS = """
INSERT INTO order_transitions (order_id, from_state, to_state, actor_id, via, reason, at)
SELECT id, 'pending_payment', 'confirmed', NULL, 'system', '', created_at + interval '1 hour' FROM orders
 WHERE status IN ('outbound', 'in_transit', 'completed');
INSERT INTO order_transitions (order_id, from_state, to_state, actor_id, via, reason, at)
SELECT id, 'in_production', 'outbound', NULL, 'system', '', created_at + (1 + floor(random() * 40)) * interval '1 hour'
  FROM orders WHERE status IN ('outbound', 'in_transit', 'completed');
INSERT INTO tracking_views (order_id, at)
SELECT id, created_at + (2 + floor(random() * 70)) * interval '1 hour' FROM orders, generate_series(1, 3) AS g
 WHERE status IN ('outbound', 'in_transit', 'completed') AND random() < 0.5;
ANALYZE;
"""


def _postgres(base: str, n: int) -> tuple[str, int, object]:
    """Create a fresh database beside `base`, fill it with n orders and their steps; return (url, shipped, drop)."""
    import sqlalchemy as sa
    admin_url = sa.make_url(base)
    name = f"orderhub_bench_dashboard_{os.getpid()}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    ids = _prepare(url)
    gen_orders.fill_postgres(url, n, ids["sales"])
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(PG_STEPS)
        shipped = conn.exec_driver_sql("SELECT count(*) FROM orders WHERE status IN "
                                       "('outbound', 'in_transit', 'completed')").scalar()
    engine.dispose()

    def drop():
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
    return url, shipped, drop


def _pages(app, engine) -> list[list]:
    client = app.test_client()
    client.post("/login", data={"username": "manager", "password": PASSWORD})
    out = []
    year = f"/dashboard?from={(date.today() - timedelta(days=364)).isoformat()}&to={date.today().isoformat()}"
    for url in ("/dashboard?days=1", "/dashboard?days=7", "/dashboard?days=30", "/dashboard?days=90", year,
                "/orders?overdue=1", "/orders?overdue=1&sort=oldest", "/orders?sort=amount"):
        client.get(url)  # warm up (and store any missing day)
        with count_queries(engine) as sql:
            resp = client.get(url)
        walls, cpus = [], []
        for _ in range(REQUESTS):
            t0, c0 = time.perf_counter(), time.process_time()
            client.get(url)
            walls.append((time.perf_counter() - t0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
        walls.sort()
        cpus.sort()
        p95 = max(int(len(walls) * .95) - 1, 0)
        out.append([url[:40], f"{statistics.median(walls):.1f}", f"{walls[p95]:.1f}", f"{statistics.median(cpus):.1f}",
                    f"{cpus[p95]:.1f}", sql[0], f"{len(resp.data) / 1000:.1f}", resp.status_code])
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
    drop = None
    if os.environ.get("BENCH_DASHBOARD_PG"):
        url, shipped, drop = _postgres(os.environ["BENCH_DASHBOARD_PG"], n)
        print(f"PostgreSQL: {n:,} orders ({shipped:,} shipped with confirmed → outbound steps)", flush=True)
    else:
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
    print(table(_pages(app, engine), ["page (manager)", "wall p50 ms", "wall p95 ms", "CPU p50 ms", "CPU p95 ms",
                                      "SQL/page", "HTML kB", "status"]), flush=True)
    if os.environ.get("BENCH_DASHBOARD_EXPORTS", "1") == "1":
        _exports(app, n, today)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(path.parent, ignore_errors=True)
    if drop:
        drop()


def _exports(app, n: int, today) -> None:
    """Time the board's exports of every order and trace their peak Python memory."""
    print(f"\nexports in process: every order ({n:,}) timed; peak Python memory (tracemalloc, which slows"
          " Python several times) traced on the last 36 days (about a tenth) and on every order")
    tenth = f"?from={(today - timedelta(days=36)).isoformat()}"
    rows = [_export(app, "/orders/export.csv", False), _export(app, "/orders/export.xlsx", False),
            _export(app, "/orders/export.csv" + tenth, True), _export(app, "/orders/export.xlsx" + tenth, True),
            _export(app, "/orders/export.csv", True)]
    print(table(rows, ["export", "status", "MB", "seconds", "peak MB"]), flush=True)
