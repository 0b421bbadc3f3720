"""Order board, filtered board, search and order page at 100,000 orders (SQLite) and 1,000,000 (PostgreSQL):
p50/p95 server time and SQL statements per page; then the order page's throughput through gunicorn
(2 workers) next to a static file from the same server.

Sizes: BENCH_SQLITE_ORDERS (100000), BENCH_PG_ORDERS (1000000; the whole run takes about 2 minutes on an
idle 2-core machine, generation included; 0 skips PostgreSQL),
BENCH_PG_URL (postgresql+psycopg://postgres@127.0.0.1:5432/orderhub_bench; dropped and re-created).
"""
import os
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests
import sqlalchemy as sa

from bench import gen_orders
from bench.common import PASSWORD, count_queries, gunicorn, login, table

REQUESTS = 120
SALES = 10


def _prepare(url: str) -> dict:
    """Migrate, add bench users and the catalogue; return the user ids by role."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.auth import services as auth
    from webapp.demo.seed import PRODUCTS
    from webapp.extensions import db
    from webapp.orders import services
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        users = {"manager": auth.create_user("manager", "manager", PASSWORD),
                 "warehouse": auth.create_user("warehouse", "warehouse", PASSWORD, ["east"])}
        sellers = [auth.create_user("sales" if i == 0 else f"sales{i + 1}", "sales", PASSWORD) for i in range(SALES)]
        for sku, name, price, cost in PRODUCTS:
            services.create_product(sku, name, price, cost)
        db.session.commit()
        ids = [u.id for u in sellers]
        db.session.remove()
        db.engine.dispose()
    return {"sales": ids}


def _cases(engine, n: int) -> dict:
    """Pick real search terms and order numbers from the generated data."""
    with engine.connect() as conn:
        picks = conn.execute(sa.text("SELECT order_no, customer_phone, customer_name, created_at FROM orders "
                                     "WHERE id % :step = 0"), {"step": max(1, n // 200)}).all()
    rng = random.Random(3)
    day = str(picks[len(picks) // 2][3])[:10]
    return {
        "board (manager)": ("manager", ["/orders"]),
        "board page 5 (manager)": ("manager", None),  # filled by walking the cursor
        "board (sales: own)": ("sales", ["/orders"]),
        "board (warehouse: region)": ("warehouse", ["/orders"]),
        "filtered state+region+channel": ("manager", ["/orders?state=confirmed&region=east&channel=web",
                                                      "/orders?state=completed&region=north&channel=shop"]),
        "filtered by day": ("manager", [f"/orders?from={day}&to={day}&region=east"]),
        "search phone": ("manager", [f"/orders?q={p[1].replace('+', '%2B')}" for p in rng.sample(picks, 20)]),
        "search order no": ("manager", [f"/orders?q={p[0]}" for p in rng.sample(picks, 20)]),
        "search name": ("manager", [f"/orders?q={p[2]}" for p in rng.sample(picks, 20)]),
        "order page": ("manager", [f"/orders/{p[0]}" for p in rng.sample(picks, 40)]),
    }


def _deep_page(client, hops: int = 5) -> str:
    url = "/orders"
    for _ in range(hops):
        page = client.get(url).get_data(as_text=True)
        url = page.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    return url


def measure(url: str, n: int) -> list[list]:
    """Time each page in process (server time) and count its SQL statements."""
    from webapp import create_app
    from webapp.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        engine = db.engine
    clients = {}
    for username in ("manager", "sales", "warehouse"):
        clients[username] = app.test_client()
        clients[username].post("/login", data={"username": username, "password": PASSWORD})
    rows = []
    for label, (who, urls) in _cases(engine, n).items():
        client = clients[who]
        urls = urls or [_deep_page(client)]
        client.get(urls[0])  # warm up
        with count_queries(engine) as sql:
            status = client.get(urls[0]).status_code
        times = []
        for i in range(REQUESTS):
            t0 = time.perf_counter()
            client.get(urls[i % len(urls)])
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        rows.append([label, f"{statistics.median(times):.1f}", f"{times[int(len(times) * .95) - 1]:.1f}",
                     sql[0], status])
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return rows


def _hammer(session_factory, url: str, seconds: float, threads: int) -> float:
    """Return requests per second from `threads` clients hitting url for `seconds`."""
    done, stop = [0] * threads, time.perf_counter() + seconds

    def run(i):
        session = session_factory()
        while time.perf_counter() < stop:
            session.get(url).raise_for_status()
            done[i] += 1

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(done) / seconds


def throughput(url: str, order_no: str, seconds: float = 6, threads: int = 16) -> list[list]:
    """Order page vs static file through gunicorn, 2 workers × 4 threads, `threads` concurrent clients."""
    with gunicorn(url) as base:
        cookies = login(base, "manager").cookies

        def authed():
            s = requests.Session()
            s.cookies.update(cookies)
            return s

        page = _hammer(authed, f"{base}/orders/{order_no}", seconds, threads)
        static = _hammer(requests.Session, f"{base}/static/css/app.css", seconds, threads)
    return [["GET /orders/<no> (manager)", f"{page:.0f}"], ["GET /static/css/app.css", f"{static:.0f}"],
            ["ratio page / static", f"{page / static:.2f}"]]


def _pg_database(url: str) -> bool:
    target = sa.make_url(url)
    try:
        admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
        admin.dispose()
        return True
    except sa.exc.OperationalError as exc:
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}); skipped")
        return False


def run_backend(label: str, url: str, n: int, fill) -> str:
    """Build a database of n orders, print its page table, return one order number."""
    ids = _prepare(url)
    t0 = time.perf_counter()
    fill(url, n, ids["sales"])
    print(f"\n{label}: generated {n:,} orders in {time.perf_counter() - t0:.0f} s", flush=True)
    print(table(measure(url, n), ["page", "p50 ms", "p95 ms", "SQL/page", "status"]), flush=True)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        order_no = conn.execute(sa.text("SELECT order_no FROM orders ORDER BY id DESC LIMIT 1")).scalar()
    engine.dispose()
    return order_no


def main() -> None:
    """Run the SQLite and PostgreSQL page tables, then the gunicorn throughput comparison."""
    n_sqlite = int(os.environ.get("BENCH_SQLITE_ORDERS", 100_000))
    n_pg = int(os.environ.get("BENCH_PG_ORDERS", 1_000_000))
    pg_url = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/orderhub_bench")
    path = Path(tempfile.mkdtemp(prefix="orderhub-bench-orders-")) / "orders.db"
    sqlite_url = f"sqlite:///{path}"
    print(f"server time in process (Flask test client), {REQUESTS} requests per page; SQL counted on one request")
    order_no = run_backend("SQLite", sqlite_url, n_sqlite,
                           lambda url, n, ids: gen_orders.fill_sqlite(str(path), n, ids))
    if n_pg and _pg_database(pg_url):
        run_backend("PostgreSQL", pg_url, n_pg, gen_orders.fill_postgres)
    print(f"\nthroughput through gunicorn (2 workers × 4 threads, 16 clients, SQLite {n_sqlite:,} orders), req/s")
    print(table(throughput(sqlite_url, order_no), ["what", "req/s"]))
