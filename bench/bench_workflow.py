"""CPU per request of each step of the whole workflow, in process (Flask test client), plus bulk intake.

The steps the drill's capacity run walks, one order at a time: API create → API confirm → scan the
label (GET /o/<no>?s=…) → pack screen → photo upload (a 1280 × 960 JPEG, as the phone sends it) →
outbound → hand-over → API complete; and the write path of a bulk intake (submit_order per order, one
commit each, as `flask import orders` does). Each step is timed with time.process_time() (CPU of this
process: stable on a loaded box, unlike wall time) and wall time; SQL statements are counted.

The database is a migrated file with the demo users and catalogue plus BENCH_WORKFLOW_ORDERS (20,000)
generated orders (bench/gen_orders.py); BENCH_WORKFLOW_RUNS (40) orders walk the workflow after 5
warm-up walks. BENCH_WORKFLOW_PG_URL (postgresql+psycopg://postgres@127.0.0.1:5432/orderhub_bench_workflow;
dropped and re-created; empty skips PostgreSQL) runs the same on PostgreSQL. BENCH_WORKFLOW_PROFILE=<step>
prints the top of a cProfile of that step (e.g. `photo`, `create`, `intake`).

Run: `python -m bench workflow`
"""
import base64
import cProfile
import hashlib
import hmac
import io
import os
import pstats
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench import gen_orders
from bench.bench_orders import _pg_database
from bench.common import PASSWORD, count_queries, table

STEPS = ("create", "confirm", "scan", "pack", "photo", "outbound", "handover", "complete")
LABELS = {"create": "API POST /orders", "confirm": "API →confirmed", "scan": "GET /o/<no> (scan label)",
          "pack": "GET /pack/<no>", "photo": "POST /orders/<no>/photos", "outbound": "POST /pack/<no>/outbound",
          "handover": "POST /pack/<no>/handover", "complete": "API →completed",
          "intake": "bulk intake, per order (submit_order + commit)"}
EXPECTED = {"create": 201, "confirm": 200, "scan": 303, "pack": 200, "photo": 201, "outbound": 303,
            "handover": 303, "complete": 200}
ADDRESSES = ("浙江省杭州市西湖区文三路 90 号", "上海市浦东新区张江路 88 号", "江苏省南京市鼓楼区中山路 1 号")
SKUS = ("CUP-500", "TEA-LJ250", "RICE-5KG", "OIL-5L", "TOWEL-3")


def photo_bytes() -> bytes:
    """A 1280 × 960 JPEG of noise (the drill's photo: what the pack screen uploads after scaling)."""
    from PIL import Image
    out = io.BytesIO()
    Image.effect_noise((1280, 960), 30).convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def sign(secret: str, order_no: str) -> str:
    """Sign an order number as the printed label does (webapp.warehouse.qr.sign)."""
    mac = hmac.new(secret.encode(), b"orderhub-label:" + order_no.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode()[:22]


def build_app(url: str, n_orders: int, fill, workdir: Path):
    """Migrate, seed the demo users and catalogue, fill n_orders generated orders; return the app."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.auth.models import User
    from webapp.demo import seed as demo
    from webapp.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench-secret",
                      "UPLOAD_DIR": str(workdir / "uploads"), "AUDIT_ANCHOR_DIR": str(workdir / "anchors"),
                      "HUEY_FILE": str(workdir / "huey.db"), "API_RATE_LIMIT": 1_000_000,
                      "LOG_FORMAT": "off"})
    with app.app_context():
        upgrade()
        demo.seed(0)
        sales = [u.id for u in db.session.scalars(sa.select(User).where(User.role_code == "sales"))]
        db.session.remove()
    fill(url, n_orders, sales)
    with app.app_context():  # the generated numbers bypassed the day counters: carry on after them
        from webapp.orders.models import OrderSequence
        db.session.execute(sa.text(
            f"INSERT INTO {OrderSequence.__tablename__} (day, last) SELECT substr(order_no, 3, 8), "
            "max(CAST(substr(order_no, 12) AS INTEGER)) FROM orders GROUP BY substr(order_no, 3, 8)"))
        db.session.commit()
        db.session.remove()
    return app


def _token(app) -> str:
    from webapp.api.tokens import create_token
    from webapp.auth.models import User
    from webapp.extensions import db
    with app.app_context():
        manager = db.session.scalar(sa.select(User).where(User.username == "manager"))
        _row, raw = create_token(manager, "bench", actor=manager, via="system")
        db.session.commit()
        db.session.remove()
    return raw


def _login(app, username: str):
    client = app.test_client()
    resp = client.post("/login", data={"username": username, "password": PASSWORD})
    assert resp.status_code == 302, (resp.status_code, resp.data[:300])
    return client


class Walker:
    """Walks one order at a time through the workflow and times each step."""

    def __init__(self, app, token: str):
        self.app, self.auth = app, {"Authorization": f"Bearer {token}"}
        self.api = app.test_client()
        self.floor = _login(app, "warehouse")
        self.photo = photo_bytes()
        self.seq = int(time.time()) % 1_000_000 * 1000
        self.secret = app.config["SECRET_KEY"]
        self.engine = None
        self.times = {s: [] for s in STEPS}
        self.wall = {s: [] for s in STEPS}
        self.sql = {s: [] for s in STEPS}
        self.profile = os.environ.get("BENCH_WORKFLOW_PROFILE")
        self.profiler = cProfile.Profile(time.process_time) if self.profile else None

    def _call(self, step: str, fn, record: bool):
        with self.app.app_context():
            from webapp.extensions import db
            engine = db.engine
        with count_queries(engine) as queries:
            profiling = record and self.profile in (step, "all")
            if profiling:
                self.profiler.enable()
            c0, w0 = time.process_time(), time.perf_counter()
            resp = fn()
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            if profiling:
                self.profiler.disable()
        if resp.status_code != EXPECTED[step]:
            raise RuntimeError(f"{step}: {resp.status_code} {resp.get_data(as_text=True)[:400]}")
        if record:
            self.times[step].append(cpu * 1000)
            self.wall[step].append(wall * 1000)
            self.sql[step].append(queries[0])
        return resp

    def walk(self, record: bool = True) -> str:
        """Walk one new order through every step."""
        self.seq += 1
        n = self.seq
        body = {"customer_name": f"客户{n % 997}", "customer_phone": f"139{n % 10**8:08d}",
                "address": ADDRESSES[n % 3], "external_id": f"BENCH-{n}",
                "items": [{"sku": SKUS[n % 5], "quantity": 1 + n % 3}]}
        resp = self._call("create", lambda: self.api.post("/api/v1/orders", json=body, headers=self.auth), record)
        no = resp.get_json()["order_no"]
        api_step = lambda to: lambda: self.api.post(f"/api/v1/orders/{no}/transitions", json={"to": to},  # noqa: E731
                                                    headers=self.auth)
        self._call("confirm", api_step("confirmed"), record)
        self._call("scan", lambda: self.floor.get(f"/o/{no}?s={sign(self.secret, no)}"), record)
        self._call("pack", lambda: self.floor.get(f"/pack/{no}"), record)
        self._call("photo", lambda: self.floor.post(
            f"/orders/{no}/photos", data={"photo": (io.BytesIO(self.photo), "pack.jpg", "image/jpeg")},
            headers={"Accept": "application/json"}, content_type="multipart/form-data"), record)
        self._call("outbound", lambda: self.floor.post(f"/pack/{no}/outbound", data={}), record)
        self._call("handover", lambda: self.floor.post(f"/pack/{no}/handover", data={
            "carrier": "顺丰", "tracking_no": f"SF{n:012d}"}), record)
        self._call("complete", api_step("completed"), record)
        return no


def intake(app, n: int, profiler=None) -> tuple[float, float, float]:
    """Bulk intake's write path: submit_order for n orders, one commit each; CPU ms, wall ms, SQL per order."""
    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.orders import services, txn
    with app.app_context():
        sales = db.session.scalar(sa.select(User).where(User.username == "sales"))
        base = int(time.time()) % 1_000_000 * 1000

        def one(i):
            raw = {"channel": "shop", "external_id": f"BULK-{base + i}", "customer_name": f"群友{i}",
                   "customer_phone": f"138{(base + i) % 10**8:08d}", "address": f"浙江省杭州市西湖区文三路{i}号"}
            txn.run(lambda: services.submit_order(raw, [{"sku": SKUS[i % 5], "quantity": 2}], actor=sales,
                                                  via="web"), actor=sales, via="web")
        for i in range(5):
            one(-1 - i)
        with count_queries(db.engine) as queries:
            if profiler:
                profiler.enable()
            c0, w0 = time.process_time(), time.perf_counter()
            for i in range(n):
                one(i)
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            if profiler:
                profiler.disable()
        db.session.remove()
    return cpu * 1000 / n, wall * 1000 / n, queries[0] / n


def run(label: str, url: str, fill, n_orders: int, runs: int) -> list[list]:
    """Build the database, walk `runs` orders, time bulk intake; return the table rows."""
    workdir = Path(tempfile.mkdtemp(prefix="orderhub-bench-workflow-"))
    t0 = time.perf_counter()
    app = build_app(url, n_orders, fill, workdir)
    print(f"{label}: {n_orders:,} orders generated in {time.perf_counter() - t0:.0f} s", flush=True)
    walker = Walker(app, _token(app))
    for _ in range(5):
        walker.walk(record=False)
    for _ in range(runs):
        walker.walk()
    rows = []
    for step in STEPS:
        cpu = walker.times[step]
        rows.append([label, LABELS[step], f"{statistics.median(cpu):.1f}", f"{statistics.mean(cpu):.1f}",
                     f"{statistics.median(walker.wall[step]):.1f}", f"{statistics.median(walker.sql[step]):.0f}"])
    total = sum(statistics.mean(walker.times[s]) for s in STEPS)
    rows.append([label, "whole workflow, one order (sum of means)", "", f"{total:.1f}", "", ""])
    profiler = cProfile.Profile(time.process_time) if walker.profile == "intake" else None
    cpu, wall, sql = intake(app, max(50, runs * 2), profiler)
    rows.append([label, LABELS["intake"], "", f"{cpu:.1f}", f"{wall:.1f}", f"{sql:.0f}"])
    for prof in (walker.profiler, profiler):
        if prof is not None and prof.getstats():
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(45)
            print(out.getvalue())
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(r"webapp/", 60)
            print(out.getvalue())
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(25)
            print(out.getvalue())
    with app.app_context():
        from webapp.extensions import db
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(workdir, ignore_errors=True)
    return rows


def _pg_drop(url: str) -> None:
    target = sa.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
    admin.dispose()


def main() -> None:
    """Print CPU ms per workflow step on SQLite (and PostgreSQL when reachable)."""
    n_orders = int(os.environ.get("BENCH_WORKFLOW_ORDERS", 20_000))
    runs = int(os.environ.get("BENCH_WORKFLOW_RUNS", 40))
    pg_url = os.environ.get("BENCH_WORKFLOW_PG_URL",
                            "postgresql+psycopg://postgres@127.0.0.1:5432/orderhub_bench_workflow")
    only = os.environ.get("BENCH_WORKFLOW_DB", "")  # "sqlite" or "postgresql": just that one
    path = Path(tempfile.mkdtemp(prefix="orderhub-bench-workflow-db-")) / "workflow.db"
    rows = []
    if only != "postgresql":
        rows += run("SQLite", f"sqlite:///{path}", lambda url, n, ids: gen_orders.fill_sqlite(str(path), n, ids),
                    n_orders, runs)
        shutil.rmtree(path.parent, ignore_errors=True)
    if pg_url and only != "sqlite" and _pg_database(pg_url):
        try:
            rows += run("PostgreSQL", pg_url, gen_orders.fill_postgres, n_orders, runs)
        finally:
            _pg_drop(pg_url)
    print(f"\nCPU per request of each workflow step, in process (Flask test client), {runs} orders after 5 warm-up "
          f"walks, {n_orders:,} orders in the database. cpu = time.process_time() of this process; wall time "
          f"depends on the box's load.")
    print(table(rows, ["db", "step", "cpu ms p50", "cpu ms mean", "wall ms p50", "SQL"]))
