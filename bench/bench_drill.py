"""The drill: mixed roles under load with faults, then the capacity figure (issue 17).

1. Mixed drill on PostgreSQL + Redis (the drill's own servers), 2 app hosts, 2 workers, a webhook
   receiver: DRILL_USERS (200) locust users for DRILL_SECONDS (600). Faults while it runs: a worker
   killed (SIGKILL) and restarted, PostgreSQL restarted, Redis stopped for 20 s, the upload volume
   filled for 20 s. Prints p95 per endpoint, errors per fault window, and checks that nothing was
   lost (every order a user saw created is in the database, every completed one is completed) or
   sent twice (each order event reached the webhook receiver once), and that the outbox drained.
2. Capacity: orders walked through the whole workflow back to back by DRILL_PIPELINE (4,8,16,32)
   concurrent users for DRILL_STEP_SECONDS (60) each, on SQLite and on PostgreSQL; the figure is the
   best orders/day with p95 ≤ 200 ms over all requests. DRILL_DATABASES (SQLite,PostgreSQL) picks the
   databases; DRILL_SECONDS=0 skips the mixed drill. Failed requests are listed with their status and body.
Run: `python -m bench drill` (needs root for the tmpfs upload volume and the own PostgreSQL), e.g.
`DRILL_SECONDS=0 DRILL_PIPELINE=4 DRILL_STEP_SECONDS=120 DRILL_DATABASES=PostgreSQL python -m bench drill`.
"""
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from bench.common import ROOT, table
from bench.drill_stack import OwnPostgres, OwnRedis, Stack, Volume, create_database

LOCUSTFILE = Path(__file__).with_name("drill_locustfile.py")
P95_LIMIT = 200.0


def _flask(env: dict, *args) -> str:
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", *args], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def prepare(stack: Stack, receiver=None) -> str:
    """Migrate, seed the demo users and catalogue, make the manager's token; register the receiver."""
    _flask(stack.env, "db", "upgrade")
    _flask(stack.env, "demo", "seed", "--orders", "500")
    token = _flask(stack.env, "token", "create", "manager", "--name", "drill")
    if receiver is not None:
        _flask(stack.env, "webhook", "create", receiver.url, "--events", "order.created,order.status_changed",
               "--user", "manager")
    return token


def run_locust(stack: Stack, token: str, mode: str, users: int, seconds: int) -> dict:
    """Run locust headless against the stack's hosts; return its log (what users saw)."""
    log = Path(tempfile.mkdtemp(prefix="orderhub-drill-")) / "log.json"
    env = os.environ | {"DRILL_HOSTS": ",".join(stack.urls), "DRILL_TOKEN": token, "DRILL_MODE": mode,
                        "DRILL_SECRET": stack.env["SECRET_KEY"], "DRILL_LOG": str(log)}
    cmd = [str(Path(sys.executable).with_name("locust")), "-f", str(LOCUSTFILE), "--headless", "-u", str(users),
           "-r", str(max(1, users // 10)), "-t", f"{seconds}s", "--host", stack.urls[0], "--only-summary",
           "--loglevel", "ERROR", "--stop-timeout", "10"]
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)
    return json.loads(log.read_text())


def p95(values: list) -> float:
    """95th percentile of a list of milliseconds."""
    values = sorted(values)
    return values[max(0, int(len(values) * 0.95) - 1)] if values else 0.0


def endpoint_rows(requests: list, since: float = 0) -> list[list]:
    """Per endpoint: count, failures, p50 and p95 ms."""
    by = {}
    for t, name, ms, ok in requests:
        if t >= since:
            by.setdefault(name, []).append((ms, ok))
    rows = []
    for name in sorted(by):
        times = [ms for ms, _ in by[name]]
        rows.append([name, len(times), sum(1 for _, ok in by[name] if not ok),
                     f"{statistics.median(times):.0f}", f"{p95(times):.0f}"])
    return rows


def fault_rows(requests: list, windows: list) -> list[list]:
    """What users saw during each fault: requests, failures (by endpoint), p95."""
    rows = []
    for name, start, end in windows:
        seen = [(n, ms, ok) for t, n, ms, ok in requests if start <= t <= end]
        failed = Counter(n for n, _, ok in seen if not ok)
        rows.append([name, f"{end - start:.0f}", len(seen), sum(failed.values()),
                     f"{p95([ms for _, ms, _ in seen]):.0f}", ", ".join(f"{k} ×{v}" for k, v in failed.most_common(3))])
    return rows


def inject_faults(stack: Stack, pg: OwnPostgres | None, redis: OwnRedis, volume: Volume, seconds: int,
                  windows: list) -> threading.Thread:
    """Start a thread that injects the four faults at 20/40/60/80 % of the run."""
    def at(fraction):
        time.sleep(max(0.0, t0 + seconds * fraction - time.time()))

    def run():
        at(0.2)
        start = time.time()
        stack.kill_worker(0)
        time.sleep(15)
        stack.start_worker(0)
        windows.append(("worker 0 killed (SIGKILL), restarted 15 s later", start, time.time() + 5))
        if pg:
            at(0.4)
            start = time.time()
            pg.restart()
            windows.append(("PostgreSQL restarted (fast)", start, time.time() + 5))
        at(0.6)
        start = time.time()
        redis.stop()
        time.sleep(20)
        redis.start()
        windows.append(("Redis stopped for 20 s", start, time.time() + 5))
        at(0.8)
        start = time.time()
        volume.fill()
        time.sleep(20)
        volume.free()
        windows.append(("upload volume full for 20 s", start, time.time() + 5))

    t0 = time.time()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def check_nothing_lost(db_url: str, log: dict, receiver) -> list[list]:
    """Compare what users saw with the database and the webhook receiver; wait for the outbox to drain."""
    engine = sa.create_engine(db_url)
    deadline = time.time() + 180
    with engine.connect() as conn:
        while time.time() < deadline:
            left = conn.execute(sa.text("SELECT count(*) FROM notify_outbox WHERE status IN ('pending', 'sending')")
                                ).scalar_one()
            if not left:
                break
            time.sleep(2)
            conn.rollback()
        created = set(log["created"])
        found = set(conn.execute(sa.text("SELECT order_no FROM orders")).scalars())
        completed = set(conn.execute(sa.text("SELECT order_no FROM orders WHERE status = 'completed'")).scalars())
        failed = conn.execute(sa.text("SELECT count(*) FROM notify_outbox WHERE status = 'failed'")).scalar_one()
    engine.dispose()
    events = [json.loads(r["body"]) for r in receiver.received if r["status"] == 200]
    keys = Counter((e.get("type"), (e.get("data", {}).get("order") or {}).get("order_no"),
                    (e.get("data", {}).get("order") or {}).get("status")) for e in events)
    ids = Counter(r["headers"].get("webhook-id") for r in receiver.received if r["status"] == 200)
    made = sum(1 for k in keys if k[0] == "order.created")
    return [["orders users saw created", len(created)], ["… missing from the database", len(created - found)],
            ["orders users completed", len(log["completed"])],
            ["… not completed in the database", len(set(log["completed"]) - completed)],
            ["outbox left pending after drain", left], ["outbox failed", failed],
            ["order.created webhooks received (distinct orders)", made],
            ["order events delivered under two ids (sent twice)", sum(1 for v in keys.values() if v > 1)],
            ["webhook ids accepted twice (a retry after a slow answer)", sum(1 for v in ids.values() if v > 1)],
            ["user-visible errors logged by the scenario", len(log["errors"])]]


def mixed_drill(users: int, seconds: int) -> None:
    """The mixed-role drill with faults on PostgreSQL + Redis."""
    from tests.webhooks.receiver import Receiver
    pg, redis, volume, receiver = OwnPostgres(), OwnRedis(), Volume(), Receiver()
    db_url = create_database(pg.url, "drill")
    stack = Stack(db_url, redis.url, volume.path, _secrets(receiver.allow))
    try:
        token = prepare(stack, receiver)
        for i in range(2):
            stack.start_host(i)
            stack.start_worker(i)
        windows = []
        faults = inject_faults(stack, pg, redis, volume, seconds, windows)
        started = time.time()
        log = run_locust(stack, token, "mixed", users, seconds)
        faults.join(timeout=120)
        print(f"\nMixed drill: {users} users for {seconds} s on PostgreSQL + Redis, 2 app hosts × 8 threads, "
              f"2 workers; {len(log['requests']):,} requests, "
              f"{len(log['requests']) / max(1, time.time() - started):.0f}/s")
        print(table(endpoint_rows(log["requests"]), ["endpoint", "requests", "failed", "p50 ms", "p95 ms"]))
        print("\nDuring each fault (window = fault + 5 s after)")
        print(table(fault_rows(log["requests"], windows), ["fault", "s", "requests", "failed", "p95 ms", "top failures"]))
        print("\nNothing lost, nothing sent twice")
        print(table(check_nothing_lost(db_url, log, receiver), ["check", "value"]))
        if log["errors"]:
            print("first errors:", *log["errors"][:8], sep="\n  ")
    finally:
        stack.stop()
        pg.stop()
        redis.stop()
        volume.remove()


def print_failures(label: str, log: dict, limit: int = 12) -> None:
    """Print what the failed requests answered (endpoint, status, start of the body), most frequent first."""
    failures = log.get("failures") or []
    if not failures:
        return
    seen = Counter((name, status, " ".join(str(body).split())[:160]) for _t, name, status, body in failures)
    print(f"\nFailed requests, {label}: {len(failures)}")
    print(table([[n, s, c, b] for (n, s, b), c in seen.most_common(limit)], ["endpoint", "status", "count", "body"]))
    if log.get("errors"):
        print("first scenario errors:", *log["errors"][:8], sep="\n  ")


def _secrets(allow: str = "") -> dict:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return {"SECRET_KEY": secrets.token_urlsafe(32), "VAPID_PRIVATE_KEY": pem, "ORDERHUB_API_RATE_LIMIT": "1000000",
            "ORDERHUB_OUTBOUND_ALLOW": allow, "ORDERHUB_BASE_URL": "http://127.0.0.1:5000"}


def capacity(kind: str, steps: list[int], seconds: int) -> list:
    """Whole workflows back to back at rising concurrency; return a row per step."""
    volume = Volume()
    pg = redis = None
    if kind == "PostgreSQL":
        pg, redis = OwnPostgres(), OwnRedis()
        db_url = create_database(pg.url, "capacity")
    else:
        db_url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='orderhub-drill-sqlite-')) / 'drill.db'}"
    stack = Stack(db_url, redis.url if redis else None, volume.path, _secrets())
    rows = []
    try:
        token = prepare(stack)
        for i in range(2):
            stack.start_host(i)
            stack.start_worker(i)
        for users in steps:
            log = run_locust(stack, token, "pipeline", users, seconds)
            times = [ms for _, _, ms, _ in log["requests"]]
            failed = sum(1 for *_, ok in log["requests"] if not ok)
            per_day = len(log["completed"]) / seconds * 86400
            worst = max(endpoint_rows(log["requests"]), key=lambda r: float(r[4]), default=["-", 0, 0, 0, 0])
            rows.append([kind, users, len(log["completed"]), f"{per_day:,.0f}", f"{p95(times):.0f}",
                         f"{worst[0]} {worst[4]}", failed, "yes" if p95(times) <= P95_LIMIT and not failed else "no"])
            print(f"\n{kind}, {users} users, {seconds} s: {len(log['completed'])} orders completed")
            print(table(endpoint_rows(log["requests"]), ["endpoint", "requests", "failed", "p50 ms", "p95 ms"]),
                  flush=True)
            print_failures(f"{kind}, {users} users", log)
    finally:
        stack.stop()
        if pg:
            pg.stop(keep_log=stack.logs / "postgresql.log")
            redis.stop()
        volume.remove()
        print(f"server logs: {stack.logs}")
    return rows


def main() -> None:
    """Run the mixed drill, then the capacity steps on SQLite and PostgreSQL."""
    users, seconds = int(os.environ.get("DRILL_USERS", 200)), int(os.environ.get("DRILL_SECONDS", 600))
    steps = [int(s) for s in os.environ.get("DRILL_PIPELINE", "4,8,16,32").split(",")]
    step_seconds = int(os.environ.get("DRILL_STEP_SECONDS", 60))
    if seconds:
        mixed_drill(users, seconds)
    kinds = [k.strip() for k in os.environ.get("DRILL_DATABASES", "SQLite,PostgreSQL").split(",") if k.strip()]
    rows = []
    for kind in kinds:
        rows += capacity(kind, steps, step_seconds)
    print(f"\nCapacity: whole workflow (API entry → confirm/approve → scan + photo + outbound → hand-over → "
          f"completed), {step_seconds} s per step, 2 app hosts × 8 threads + 2 workers + locust on this 2-core box")
    print(table(rows, ["database", "users", "orders done", "orders/day", "p95 ms (all)", "worst endpoint p95",
                       "failed", f"p95 ≤ {P95_LIMIT:.0f}"]))
