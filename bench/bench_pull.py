"""Marketplace pull: pull 5,000 orders from the fake 微信小店 into SQLite (target < 60 s), then pull them again.

The database is a migrated SQLite file with the demo data (its users and catalogue); the fake platform
(tests/intake/fake_platform.py) runs in this process on 127.0.0.1 and answers the documented shapes,
100 orders a page. Each order is fetched one by one as the real API needs (list, then order/get) and
created through the one write service. CPU time is this process's (the fake server's threads included).
BENCH_PULL_ORDERS changes the size.
"""
import json
import os
import random
import resource
import shutil
import time
from pathlib import Path

from bench.common import seeded_sqlite, table

ORDERS = int(os.environ.get("BENCH_PULL_ORDERS", "5000"))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _fill(fake, skus: list[str], n: int) -> None:
    from tests.intake.fake_platform import order
    rng, now = random.Random(5), int(time.time())
    fake.add(*(order(f"37{i:08d}", now - 3600 + i * 3000 // n, sku=rng.choice(skus), qty=rng.randint(1, 5),
                     phone=f"137{i:08d}", detail=f"文三路{i}号") for i in range(n)))


def _pull(app) -> tuple[float, float, str]:
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.intake.models import Channel
    from webapp.intake.pull import runner
    with app.app_context():
        channel = db.session.scalar(select(Channel).where(Channel.code == "wxshop"))
        wall, cpu = time.perf_counter(), _cpu()
        run = runner.pull_now(channel)
        return time.perf_counter() - wall, _cpu() - cpu, run.outcome.summary()


def _setup(app, fake) -> None:
    from sqlalchemy import select

    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.intake import channels
    from webapp.webhooks import keys
    from tests.intake.fake_platform import APP_ID, APP_SECRET
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "sales"))
        channel, _secret = channels.add("wxshop", "微信小店", "pull", user)
        channel.settings = json.dumps({"adapter": "wechat_shop", "base_url": fake.url, "app_id": APP_ID,
                                       "page_size": 100, "lookback_seconds": 7200})
        channel.secret = keys.seal(APP_SECRET)
        db.session.commit()


def _rewind(app) -> None:
    from webapp.extensions import db
    from webapp.intake.pull.models import PullState
    with app.app_context():
        db.session.query(PullState).update({"cursor": None})
        db.session.commit()


def main() -> None:
    from tests.intake.fake_platform import FakePlatform
    from webapp import create_app
    from webapp.intake.services import catalogue_names
    url = seeded_sqlite(orders=200)
    fake = FakePlatform()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "OUTBOUND_ALLOW": fake.allow})
    try:
        with app.app_context():
            skus = sorted(set(catalogue_names().values()))
        _fill(fake, skus, ORDERS)
        _setup(app, fake)
        wall, cpu, result = _pull(app)
        _rewind(app)
        again_wall, again_cpu, again = _pull(app)
        print(table([[f"pull {ORDERS:,} orders", f"{wall:.1f} s", f"{cpu:.1f} s", result, "< 60 s"],
                     ["pull them again", f"{again_wall:.1f} s", f"{again_cpu:.1f} s", again, "creates nothing"]],
                    ["what", "wall", "CPU", "result", "target"]))
    finally:
        fake.close()
        shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)


if __name__ == "__main__":
    main()
