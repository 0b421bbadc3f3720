"""The 24-hour copy: time and bytes to build it for 1,000 orders (target < 3 s, < 2 MB), per role."""
import gzip
import statistics
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from bench.common import table

N = 1000
ROLES = [("manager", None), ("finance", None), ("warehouse", ["east", "north", "south", "central"]),
         ("support", None)]
ADDRESSES = ["浙江省杭州市西湖区文三路 90 号", "北京市朝阳区建国路 1 号", "广东省深圳市南山区科技园 8 号",
             "湖北省武汉市洪山区珞喻路 129 号", "四川省成都市武侯区人民南路 4 段 1 号"]
STATES = ["pending_payment", "confirmed", "in_production", "outbound", "in_transit", "completed"]


def _seed(app) -> None:
    """Create N orders of two lines each, spread over the last 23 hours, and one user per role."""
    from tests.factories import make_user
    from webapp.core.db import utcnow
    from webapp.extensions import db
    from webapp.orders import services
    now = utcnow()
    with app.app_context():
        for role, regions in ROLES:
            make_user(role, f"bench_{role}", regions)
        lines = [{"sku": "CUP-500", "name": "保温杯 500ml", "unit_price": Decimal("129.00"), "quantity": 2,
                  "unit_cost": Decimal("52.30")},
                 {"sku": "BRUSH-1", "name": "杯刷", "unit_price": Decimal("19.90"), "quantity": 1,
                  "unit_cost": Decimal("6.10")}]
        for i in range(N):
            data = {"customer_name": f"客户{i:04d}", "customer_phone": f"+86138{i:08d}",
                    "address": ADDRESSES[i % len(ADDRESSES)], "notes": "请放门卫" if i % 3 else ""}
            services.create_order(data, lines, actor=None, via="system", status=STATES[i % len(STATES)],
                                  at=now - timedelta(minutes=(i * 23 * 60) // N))
            if i % 200 == 199:
                db.session.commit()
        db.session.commit()


def _measure(app, username: str) -> list:
    """Build the copy 5 times in process and once over HTTP; return one table row."""
    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.offline.copy import build_copy, dumps
    times = []
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == username))
        for _ in range(5):
            db.session.expire_all()
            t0 = time.perf_counter()
            body = dumps(build_copy(user)).encode()
            times.append(time.perf_counter() - t0)
        count = len(build_copy(user)["orders"])
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "correct-horse-1"})
    t0 = time.perf_counter()
    resp = client.get("/offline/copy.json")
    http = time.perf_counter() - t0
    assert resp.status_code == 200
    return [username.removeprefix("bench_"), count, f"{statistics.median(times):.3f}", f"{http:.3f}",
            f"{len(body) / 1024:.0f}", f"{len(gzip.compress(body)) / 1024:.0f}"]


def main() -> None:
    """Seed 1,000 orders changed in the last 24 hours on SQLite and time the copy for several roles."""
    from tests import dbsetup
    from webapp import create_app
    path = Path(tempfile.mkdtemp(prefix="orderhub-bench-offline-")) / "bench.db"
    url = f"sqlite:///{path}"
    dbsetup.migrate(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "LOGIN_THROTTLE": False})
    t0 = time.perf_counter()
    _seed(app)
    print(f"SQLite, {N} orders (2 lines each) changed in the last 24 h, seeded in {time.perf_counter() - t0:.1f} s")
    rows = [_measure(app, f"bench_{role}") for role, _regions in ROLES]
    print(table(rows, ["role", "orders in copy", "build s (median of 5)", "GET /offline/copy.json s",
                       "KB", "KB gzip"]))
    print("targets: < 3 s and < 2 MB (2,048 KB) for 1,000 orders")
