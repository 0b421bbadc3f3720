"""Login page and home page latency through gunicorn (p50/p95 over 500 requests) and SQL per page; then
the board and the order page under 16 concurrent clients next to a static file (req/s, p50/p95, and the
server's CPU time per request, steadier than wall time on a shared machine).

Sizes: BENCH_HTTP_N (500 sequential requests per page), BENCH_HTTP_SECONDS (8 s per load case),
BENCH_HTTP_CLIENTS (16); BENCH_HTTP_DATABASE_URL reuses a seeded database; BENCH_HTTP_ONLY=load skips
the latency table.
"""
import contextlib
import os
import re
import statistics
import threading
import time

import psutil
import requests

from bench.common import count_queries, gunicorn, latency, login, seeded_sqlite, table

ROLES = ["warehouse", "sales", "finance", "manager", "support", "admin"]
N = int(os.environ.get("BENCH_HTTP_N", 500))
SECONDS = float(os.environ.get("BENCH_HTTP_SECONDS", 8))
CLIENTS = int(os.environ.get("BENCH_HTTP_CLIENTS", 16))


def sql_per_page(url: str) -> dict:
    """Count SQL statements per home page for each role, in process with the test client."""
    from webapp import create_app
    from webapp.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        engine = db.engine  # requests below run in their own app contexts, as in production
    counts = {}
    for role in ROLES:
        client = app.test_client()
        client.post("/login", data={"username": role, "password": "orderhub-demo"})
        client.get("/")  # warm caches
        with count_queries(engine) as n:
            client.get("/")
        counts[role] = n[0]
    with count_queries(engine) as n:
        app.test_client().get("/login")
    counts["login"] = n[0]
    return counts


def _server_processes(base: str) -> list:
    """Return gunicorn's master and workers serving base (found by their --bind argument)."""
    bind = base.removeprefix("http://")
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        with contextlib.suppress(psutil.Error, TypeError):
            if bind in " ".join(proc.info["cmdline"] or ()) and "gunicorn" in " ".join(proc.info["cmdline"]):
                found.append(proc)
    return found


def _cpu_seconds(procs: list) -> float:
    total = 0.0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            t = proc.cpu_times()
            total += t.user + t.system
    return total


def load(base: str, session_factory, url: str, seconds: float = SECONDS, clients: int = CLIENTS) -> dict:
    """Hit url from `clients` threads for `seconds`: req/s, p50/p95 ms, server and client CPU ms per request."""
    procs = _server_processes(base)
    sessions = [session_factory() for _ in range(clients)]
    for s in sessions[:2]:
        s.get(url).raise_for_status()  # warm up
    times: list[list[float]] = [[] for _ in range(clients)]
    errors = [0]
    cpu0, mine0, t0 = _cpu_seconds(procs), time.process_time(), time.perf_counter()
    stop = t0 + seconds

    def run(i):
        session, out = sessions[i], times[i]
        while time.perf_counter() < stop:
            started = time.perf_counter()
            if session.get(url).status_code != 200:
                errors[0] += 1
            out.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    every = sorted(x for out in times for x in out)
    n = len(every)
    return {"rps": n / elapsed, "p50": statistics.median(every), "p95": every[int(n * 0.95) - 1], "n": n,
            "errors": errors[0], "server_cpu": (_cpu_seconds(procs) - cpu0) * 1000 / n,
            "client_cpu": (time.process_time() - mine0) * 1000 / n}


def _order_no(url: str) -> str:
    import sqlalchemy as sa
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        order_no = conn.execute(sa.text("SELECT order_no FROM orders ORDER BY id DESC LIMIT 1")).scalar()
    engine.dispose()
    return order_no


def throughput(url: str) -> list[list]:
    """Board, order page and a static file under CLIENTS concurrent clients through gunicorn (2 workers)."""
    order_no = _order_no(url)
    previous = os.environ.get("ORDERHUB_LOG_FORMAT")
    os.environ["ORDERHUB_LOG_FORMAT"] = "off"  # the per-request log line would flood the bench output
    try:
        with gunicorn(url) as base:
            cookies = login(base, "manager").cookies

            def authed():
                s = requests.Session()
                s.cookies.update(cookies)
                return s

            page = authed().get(f"{base}/orders/{order_no}").text
            css = re.search(r'href="([^"]*/css/app[^"]*\.css)"', page).group(1)
            cases = [("static " + css.rsplit("/", 1)[1], requests.Session, base + css),
                     ("board /orders (manager)", authed, base + "/orders"),
                     ("order page /orders/<no> (manager)", authed, f"{base}/orders/{order_no}")]
            results = [(label, load(base, factory, target)) for label, factory, target in cases]
    finally:
        if previous is None:
            os.environ.pop("ORDERHUB_LOG_FORMAT", None)
        else:
            os.environ["ORDERHUB_LOG_FORMAT"] = previous
    static = results[0][1]["rps"]
    return [[label, f"{r['rps']:.0f}", f"{r['rps'] / static:.2f}", f"{r['p50']:.1f}", f"{r['p95']:.1f}",
             f"{r['server_cpu']:.2f}", f"{r['client_cpu']:.2f}", r["errors"]] for label, r in results]


def main() -> None:
    """Seed 2,000 demo orders, then time /login and each role's / through gunicorn (2 workers); then load."""
    url = os.environ.get("BENCH_HTTP_DATABASE_URL") or seeded_sqlite(2000)
    only_load = os.environ.get("BENCH_HTTP_ONLY") == "load"
    if not only_load:
        latency_table(url)
    print(f"\n{CLIENTS} concurrent clients for {SECONDS:.0f} s per page, gunicorn 2 workers × 4 threads, "
          "SQLite 2,000 demo orders; CPU = gunicorn processes' user+system time per request "
          "(client = this bench's own CPU per request, sharing the same cores)", flush=True)
    print(table(throughput(url), ["page", "req/s", "× static", "p50 ms", "p95 ms", "server CPU ms/req",
                                  "client CPU ms/req", "errors"]))


def latency_table(url: str) -> None:
    """Print /login and each role's home page latency and SQL statements."""
    queries = sql_per_page(url)
    rows = []
    with gunicorn(url) as base:
        anon = requests.Session()
        r = latency(anon, base + "/login", N)
        rows.append(["GET /login", "-", f"{r['p50']:.1f}", f"{r['p95']:.1f}", queries["login"], r["status"]])
        for role in ROLES:
            r = latency(login(base, role), base + "/", N)
            rows.append([f"GET / (home)", role, f"{r['p50']:.1f}", f"{r['p95']:.1f}", queries[role], r["status"]])
    print(f"SQLite, 2,000 demo orders, gunicorn 2 workers × 4 threads, {N} sequential requests each")
    print(table(rows, ["page", "role", "p50 ms", "p95 ms", "SQL/page", "status"]))
