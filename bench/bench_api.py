"""REST API v1 at 100,000 orders (SQLite) and optionally 1,000,000 (PostgreSQL): p50/p95 server time and
SQL statements for list, get, create, patch and transition, with a manager's Bearer token.

The per-token rate limit stays on (its database counter is part of every request's cost) with a limit
too high to trip. Sizes: BENCH_SQLITE_ORDERS (100000), BENCH_API_PG_ORDERS (0: PostgreSQL skipped;
1000000 for the issue's figure), BENCH_PG_URL as in bench_orders.
"""
import itertools
import os
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench import gen_orders
from bench.bench_orders import _pg_database, _prepare
from bench.common import count_queries, table

REQUESTS = 200
SEQUENCES = ("INSERT INTO order_sequences (day, last) SELECT substr(order_no, 3, 8), "
             "max(CAST(substr(order_no, 12) AS INTEGER)) FROM orders GROUP BY substr(order_no, 3, 8)")
ORDER = {"customer_name": "张三华", "customer_phone": "13800138000", "address": "浙江省杭州市西湖区文三路 90 号",
         "items": [{"sku": "CUP-500", "quantity": 2}]}


def _app_and_token(url: str):
    from webapp import create_app
    from webapp.api.tokens import create_token
    from webapp.auth.models import User
    from webapp.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "API_RATE_LIMIT": 10**9})
    with app.app_context():
        manager = db.session.scalar(sa.select(User).where(User.username == "manager"))
        _token, raw = create_token(manager, "bench", actor=None, via="system")
        db.session.commit()
        engine = db.engine
    return app, engine, {"Authorization": f"Bearer {raw}"}


def _time(client, engine, make) -> list:
    """Send make() → (method, path, body) once counting SQL, then REQUESTS times; return p50/p95 ms."""
    method, path, body = make()
    with count_queries(engine) as sql:
        status = client.open(path, method=method, json=body).status_code
    times = []
    for _ in range(REQUESTS):
        method, path, body = make()
        t0 = time.perf_counter()
        client.open(path, method=method, json=body)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return [f"{statistics.median(times):.1f}", f"{times[int(len(times) * .95) - 1]:.1f}", sql[0], status]


def measure(url: str) -> list[list]:
    """Time each API call in process (server time) and count its SQL statements."""
    app, engine, auth = _app_and_token(url)
    client = app.test_client()
    client.environ_base |= {"HTTP_AUTHORIZATION": auth["Authorization"]}
    with engine.connect() as conn:
        nos = itertools.cycle(conn.execute(sa.text("SELECT order_no FROM orders WHERE id % 97 = 0")).scalars().all())
    cursor = client.get("/api/v1/orders?status=confirmed").get_json()["next_cursor"]
    seq = itertools.count()
    created = []

    def create():
        n = next(seq)  # a phone per order: the risk rules hold a phone's 4th order within 24 h
        return "POST", "/api/v1/orders", ORDER | {"external_id": f"B{n}", "customer_phone": f"139{n:08d}"}

    cases = {
        "GET /orders (50)": lambda: ("GET", "/api/v1/orders", None),
        "GET /orders status+region": lambda: ("GET", "/api/v1/orders?status=confirmed&region=east", None),
        "GET /orders next page": lambda: ("GET", f"/api/v1/orders?status=confirmed&cursor={cursor}", None),
        "GET /orders/<no>": lambda: ("GET", f"/api/v1/orders/{next(nos)}", None),
        "POST /orders": create,
        "PATCH /orders/<no>": lambda: ("PATCH", f"/api/v1/orders/{next(nos)}", {"notes": f"bench {next(seq)}"}),
    }
    rows = [[label] + _time(client, engine, make) for label, make in cases.items()]
    for _ in range(REQUESTS + 1):
        _method, path, body = create()
        created.append(client.post(path, json=body).get_json()["order_no"])
    todo = iter(created)
    rows.append(["POST /orders/<no>/transitions"] + _time(
        client, engine, lambda: ("POST", f"/api/v1/orders/{next(todo)}/transitions", {"to": "confirmed"})))
    with app.app_context():
        from webapp.extensions import db
        db.session.remove()
        db.engine.dispose()
    return rows


def run_backend(label: str, url: str, n: int, fill) -> None:
    """Build a database of n orders and print the API table."""
    ids = _prepare(url)
    t0 = time.perf_counter()
    fill(url, n, ids["sales"])
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # the generator numbers orders itself: let the day's sequences follow
        conn.execute(sa.text(SEQUENCES))
    engine.dispose()
    print(f"\n{label}: generated {n:,} orders in {time.perf_counter() - t0:.0f} s", flush=True)
    print(table(measure(url), ["call (manager token)", "p50 ms", "p95 ms", "SQL/call", "status"]), flush=True)


def main() -> None:
    """Run the SQLite table, then PostgreSQL when asked for."""
    n_sqlite = int(os.environ.get("BENCH_SQLITE_ORDERS", 100_000))
    n_pg = int(os.environ.get("BENCH_API_PG_ORDERS", 0))
    pg_url = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/orderhub_bench")
    path = Path(tempfile.mkdtemp(prefix="orderhub-bench-api-")) / "api.db"
    print(f"server time in process (Flask test client), {REQUESTS} requests per call; SQL counted on one call")
    run_backend("SQLite", f"sqlite:///{path}", n_sqlite, lambda url, n, ids: gen_orders.fill_sqlite(str(path), n, ids))
    if n_pg and _pg_database(pg_url):
        run_backend("PostgreSQL", pg_url, n_pg, gen_orders.fill_postgres)
