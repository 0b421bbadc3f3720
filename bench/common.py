"""Shared benchmark plumbing: a seeded database, a real gunicorn server, timers and SQL counters."""
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "orderhub-demo"


def seeded_sqlite(orders: int = 2000) -> str:
    """Create a migrated SQLite database with demo data; return its URL."""
    path = Path(tempfile.mkdtemp(prefix="orderhub-bench-")) / "bench.db"
    url = f"sqlite:///{path}"
    env = os.environ | {"DATABASE_URL": url}
    flask = [sys.executable, "-m", "flask", "--app", "webapp"]
    subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(flask + ["demo", "seed", "--orders", str(orders)], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    return url


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(database_url: str, workers: int = 2, threads: int = 4):
    """Serve the app with gunicorn on 127.0.0.1; yield its base URL; stop it afterwards."""
    port = free_port()
    env = os.environ | {"DATABASE_URL": database_url}
    cmd = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
           "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "webapp:create_app()"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(requests.RequestException):  # also a worker still booting
                if requests.get(base + "/healthz", timeout=1).ok:
                    break
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def login(base: str, username: str) -> requests.Session:
    """Log a requests session in through the real form (CSRF token included)."""
    s = requests.Session()
    page = s.get(base + "/login").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    resp = s.post(base + "/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                  allow_redirects=False)
    assert resp.status_code == 302, resp.status_code
    return s


def latency(session: requests.Session, url: str, n: int = 500) -> dict:
    """Time n sequential GETs; return p50/p95 in ms and the status seen."""
    times, status = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        resp = session.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        status = resp.status_code
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1], "status": status, "n": n}


@contextlib.contextmanager
def count_queries(engine):
    """Count SQL statements executed on engine inside the block: yields a one-item list."""
    counter = [0]

    def _count(*_args):
        counter[0] += 1

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def table(rows: list[list], headers: list[str]) -> str:
    """Render rows as a plain aligned text table."""
    cells = [headers] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
