"""Group robots and arrival estimates: alert latency, a 200-event burst under the 20/min limit, ETA error.

Latency: a real `flask worker` process delivers through the outbox to a local fake WeCom robot;
N orders confirmed one at a time (fewer than the 20/min limit, the first only warms up), timed
from the commit to the fake's receipt. Burst: 200 order.created alerts for 200 orders queued to
one robot in one commit, delivered in-process on a controlled clock (one pass per simulated
second): requests made, the most in any 60 s window, alerts carried, each order exactly once.
ETA: leave-one-out mean absolute error (days) of the median-transit estimate, on the demo history
and on a synthetic history with per-carrier and per-region transit times.
Waybills: WAYBILLS orders per adapter (顺丰, 菜鸟) step to outbound against the local fakes, every
fifth answered first with a 503; timed from the outbound commit to the number on the order (in
process, simulated clock for the retries), then each carrier's issued count against the orders.
Label: render the 100 × 150 mm PDF and decode its Code128 back (tests.carriers.pdf_raster + zxing-cpp).
"""
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from bench.common import ROOT, seeded_sqlite, table

N = 18
BURST = 200
WAYBILLS = 40


def _app(url: str, fake, queue: str):
    from webapp import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "OUTBOUND_ALLOW": fake.allow, "HUEY_FILE": queue,
                       "HUEY_NAME": "bench", "BASE_URL": "https://shop.example.cn"})


def _robot(app, fake, events) -> int:
    from webapp.carriers.robots import services
    from webapp.extensions import db
    with app.app_context():
        robot = services.add("wecom", fake.urls["wecom"], events, audience_role="manager")
        db.session.commit()
        return robot.id


def latency(app, fake, url: str, queue: str) -> list:
    """Confirm N+1 pending orders one by one; return [n, p50, p95, max] in ms from commit to the robot."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.orders import services
    from webapp.orders.models import Order
    env = os.environ | {"DATABASE_URL": url, "SECRET_KEY": app.config["SECRET_KEY"], "ORDERHUB_HUEY_FILE": queue,
                        "ORDERHUB_HUEY_NAME": "bench", "ORDERHUB_OUTBOUND_ALLOW": fake.allow}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    try:
        time.sleep(3)  # worker start-up is not what is measured
        with app.app_context():
            numbers = list(db.session.scalars(select(Order.order_no).where(Order.status == "pending_payment")
                                              .order_by(Order.id).limit(N + 1)))
        for i, order_no in enumerate(numbers):
            with app.app_context():
                services.transition(order_no, "confirmed", actor=None, via="system")
                t0 = time.perf_counter()
                db.session.commit()
            if not fake.wait_for(i + 1, timeout=90):  # the worker's 1-minute pump is the slowest path
                raise RuntimeError(f"robot message for {order_no} never arrived")
            if i:
                times.append((fake.received[i]["at"] - t0) * 1000)
            time.sleep(0.3)
    finally:
        worker.terminate()
        worker.wait(timeout=40)
    times.sort()
    return [len(times), f"{statistics.median(times):.0f}", f"{times[int(len(times) * 0.95) - 1]:.0f}",
            f"{times[-1]:.0f}"]


def burst(app, fake, robot_id: int) -> list:
    """Queue BURST alerts at once and deliver on a simulated clock; check the limit and that none is lost."""
    from sqlalchemy import select

    from tests.carriers.fake_robots import text_of
    from webapp.carriers.models import Robot
    from webapp.carriers.robots import alerts, sender
    from webapp.core.db import utcnow
    from webapp.extensions import db
    from webapp.notify import delivery
    from webapp.orders.models import Order
    start = len(fake.received)
    with app.app_context():
        robot = db.session.get(Robot, robot_id)
        orders = db.session.scalars(select(Order).order_by(Order.id.desc()).limit(BURST)).all()
        numbers = [o.order_no for o in orders]
        for order in orders:
            alerts.queue(robot, "order.created", order)
        db.session.commit()
        t0, wall = utcnow(), time.perf_counter()
        second = 0
        while second < 3600 and (second == 0 or delivery.drain(now=t0 + timedelta(seconds=second)) or
                                 _unsent(robot_id)):
            second += 1
        wall = time.perf_counter() - wall
    sent = [r for r in fake.received[start:] if r["code"] == 0]
    seen = [n for r in sent for n in re.findall(r"/orders/([A-Za-z0-9-]+)\)", text_of(r))]
    ats = [r["at"] for r in sent]  # wall clock is useless here: count per simulated window instead
    with app.app_context():
        windows = _max_per_window(robot_id, sender.WINDOW)
    assert sorted(seen) == sorted(numbers), "lost or duplicated alerts"
    return [BURST, len(sent), windows, len(set(seen)), second, f"{wall:.1f}", len(ats)]


def _unsent(robot_id: int) -> bool:
    from sqlalchemy import func, select

    from webapp.carriers.models import RobotAlert
    from webapp.extensions import db
    return bool(db.session.scalar(select(func.count()).select_from(RobotAlert)
                                  .where(RobotAlert.robot_id == robot_id, RobotAlert.send_id.is_(None))))


def _max_per_window(robot_id: int, window) -> int:
    from sqlalchemy import select

    from webapp.carriers.models import RobotSend
    from webapp.extensions import db
    ats = sorted(db.session.scalars(select(RobotSend.at).where(RobotSend.robot_id == robot_id)))
    return max(sum(1 for t in ats if s <= t < s + window) for s in ats)


def eta_error(app) -> list[list]:
    """Return [history, orders, MAE days (ours), MAE days (flat default)] rows."""
    from webapp.carriers.tracking import eta
    with app.app_context():
        demo = eta.history()
    rng = random.Random(14)
    base = {"shunfeng": 1.6, "jd": 1.4, "zhongtong": 2.6, "yuantong": 2.8, "yunda": 2.9, "ems": 3.8}
    far = {"east": 0.0, "north": 0.6, "south": 0.8, "central": 0.5, "southwest": 1.4, "northwest": 1.9,
           "northeast": 1.3}
    synthetic = [(c, r, i, max(0.4, rng.gauss(base[c] + far[r], 0.5)))
                 for i, (c, r) in enumerate((rng.choice(list(base)), rng.choice(list(far))) for _ in range(1500))]
    rows = []
    for name, samples in (("demo seed", demo), ("synthetic 1,500", synthetic)):
        if not samples:
            rows.append([name, 0, "n/a (no order went in_transit → completed step by step)", "n/a"])
            continue
        ours = [abs(eta.median_days(samples, c, r, exclude=i)[0] - d) for c, r, i, d in samples]
        flat = [abs(eta.DEFAULT_DAYS - d) for _c, _r, _i, d in samples]
        rows.append([name, len(samples), f"{statistics.mean(ours):.2f}", f"{statistics.mean(flat):.2f}"])
    return rows


def _pcts(values: list[float]) -> list:
    values = sorted(values)
    return [round(statistics.median(values), 1), round(values[int(len(values) * 0.95) - 1], 1), round(values[-1], 1)]


def waybills(app, kind: str) -> list:
    """Step WAYBILLS orders to outbound with `kind` set up; return [adapter, n, p50, p95, max ms, issued, retried]."""
    from sqlalchemy import select

    from tests.carriers.fake_waybills import CN_SECRET, CN_TOKEN, SF_CHECKWORD, SF_PARTNER, FakeCarriers
    from tests.notify.helpers import step
    from webapp.core.db import utcnow
    from webapp.extensions import db
    from webapp.notify import delivery
    from webapp.orders.models import Order
    fake = FakeCarriers()
    app.config.update(WAYBILL_CARRIER=kind, OUTBOUND_ALLOW=f"{app.config['OUTBOUND_ALLOW']},{fake.host}",
                      SF_PARTNER_ID=SF_PARTNER, SF_CHECKWORD=SF_CHECKWORD, SF_URL=fake.sf_url, CAINIAO_TOKEN=CN_TOKEN,
                      CAINIAO_SECRET=CN_SECRET, CAINIAO_CP_CODE="YTO", CAINIAO_URL=fake.cn_url)
    answers = fake.sf_answers if kind == "sf" else fake.cn_answers
    times, retried, clock = [], 0, utcnow()
    try:
        with app.app_context():
            ids = list(db.session.scalars(select(Order.id).where(Order.status == "confirmed").order_by(Order.id)
                                          .limit(WAYBILLS)))
            for i, oid in enumerate(ids):
                if i % 5 == 4:
                    answers.append(("http", 503))
                    retried += 1
                step(oid, "in_production")
                started = time.perf_counter()
                step(oid, "outbound")
                for _ in range(30):  # the first pass, then a retry after a 503 (the clock jumps the backoff)
                    clock = max(clock, utcnow()) + timedelta(minutes=1)
                    delivery.drain(now=clock)
                    db.session.expire_all()
                    if db.session.get(Order, oid).tracking_no:
                        break
                times.append((time.perf_counter() - started) * 1000)
    finally:
        fake.close()
        app.config.pop("WAYBILL_CARRIER")
    return [kind, len(times), *_pcts(times), f"{len(fake.issued)} / {len(times)}", retried]


def label_round_trip(n: int = 20) -> list:
    """Render n labels and decode each barcode back; return [n, render p50 ms, PDF kB, decode p50 ms, all read]."""
    import zxingcpp
    from flask import Flask

    from tests.carriers.pdf_raster import rasterize
    from webapp.carriers.waybills import label
    from webapp.carriers.waybills.adapters import Party
    renders, decodes, size, ok = [], [], 0, 0
    with Flask("bench").app_context():
        for i in range(n):
            number = f"SF{1400000000000 + i * 7919}"
            started = time.perf_counter()
            pdf = label.render({"carrier": "顺丰", "waybill_no": number, "order_no": f"SO20261201-{i:04d}",
                                "qr_url": f"https://shop.example.cn/o/SO20261201-{i:04d}?s=0123456789abcdef",
                                "recipient": Party("张三华", "138****8000", "浙江省杭州市西湖区文三路 90 号 华星大厦 12 楼"),
                                "sender": Party("杭州小店", "0571-88886666", "浙江省杭州市西湖区"),
                                "items": [("保温杯 500ml", 2)]})
            renders.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            texts = [r.text for r in zxingcpp.read_barcodes(rasterize(pdf))]
            decodes.append((time.perf_counter() - started) * 1000)
            size, ok = max(size, len(pdf)), ok + (number in texts)
    return [n, round(statistics.median(renders), 1), round(size / 1024, 1), round(statistics.median(decodes), 1),
            f"{ok} / {n}"]


def main() -> None:
    """Print robot latency, the burst under the rate limit, and the ETA's error."""
    from tests.carriers.fake_robots import FakeRobots
    fake = FakeRobots()
    url = seeded_sqlite(2000)
    queue = str(Path(tempfile.mkdtemp(prefix="orderhub-bench-carriers-")) / f"huey-{uuid.uuid4().hex[:6]}.db")
    app = _app(url, fake, queue)
    try:
        way = [waybills(app, kind) for kind in ("sf", "cainiao")]  # before any robot exists: no alerts from these
        lab = label_round_trip()
        print("e-waybill: outbound commit → number on the order (in process, local fake carrier; every 5th answered "
              "503 first, retried by the outbox on a simulated clock)")
        print(table(way, ["adapter", "orders", "p50 ms", "p95 ms", "max ms", "waybills issued / orders", "retried"]))
        print("\ncourier label: render the 100 × 150 mm PDF, rasterise its bars and decode the Code128 with zxing-cpp")
        print(table([lab], ["labels", "render p50 ms", "PDF kB (max)", "decode p50 ms", "read back"]), "\n", flush=True)
        live = _robot(app, fake, ["order.status_changed"])
        lat = latency(app, fake, url, queue)
        with app.app_context():
            from webapp.carriers.models import Robot
            from webapp.extensions import db
            db.session.get(Robot, live).active = False
            db.session.commit()
        bur = burst(app, fake, _robot(app, fake, ["order.created"]))
        err = eta_error(app)
    finally:
        fake.close()
    print("order confirmed (commit) → WeCom markdown received at a local fake robot, 1 worker, SQLite")
    print(table([lat], ["n", "p50 ms", "p95 ms", "max ms"]))
    print(f"\n{BURST} alerts to one robot at once, delivered on a simulated clock (limit {20}/min)")
    print(table([bur[:6]], ["alerts", "requests", "max per 60 s", "orders carried once", "simulated s", "wall s"]))
    print("\narrival estimate: leave-one-out mean absolute error, days")
    print(table(err, ["history", "orders", "MAE ours", "MAE flat 3 days"]))
