"""Lighthouse 12 (mobile profile, Debian's chromium) over six screens through gunicorn, logged in.

Logged-in screens get the session cookie as an extra header; sessions are bound to the user agent,
so the login and Lighthouse use the same one. Prints performance, accessibility, LCP, TBT, CLS and
the bytes transferred of a first visit. Needs npx (npm) and /usr/bin/chromium; says so if missing.
"""
import json
import os
import subprocess
import tempfile
from pathlib import Path

import requests

from bench.common import PASSWORD, gunicorn, seeded_sqlite, table

LIGHTHOUSE = "lighthouse@12.2.3"
CHROME = "/usr/bin/chromium"
UA = ("Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/130.0.0.0 Mobile Safari/537.36")
HEADERS = ["screen", "user", "perf", "a11y", "LCP ms", "TBT ms", "CLS", "kB"]


def _login(base: str, username: str) -> str:
    """Log in through the form with Lighthouse's user agent; return the session cookie."""
    s = requests.Session()
    s.headers["User-Agent"] = UA
    page = s.get(base + "/login").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    resp = s.post(base + "/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                  allow_redirects=False)
    assert resp.status_code == 302, resp.status_code
    return s.cookies["session"]


def _targets(url: str) -> dict:
    """Pick a warehouse task to pack, an order to open and its tracking link from the seeded database."""
    from sqlalchemy import select

    from webapp import create_app
    from webapp.extensions import db
    from webapp.orders.models import Order
    from webapp.tracking.services import token_for
    from webapp.vocab import TASK_STATES
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        task = db.session.scalar(select(Order).where(Order.status.in_(TASK_STATES), Order.region == "east")
                                 .order_by(Order.id.desc())) or db.session.scalar(select(Order))
        order = db.session.scalar(select(Order).order_by(Order.id.desc()))
        token = token_for(order)
        db.session.commit()
        return {"task": task.order_no, "order": order.order_no, "token": token}


def _lighthouse(page_url: str, cookie: str | None, out: Path) -> dict:
    """Run Lighthouse once; return its report (or raise with its own error output)."""
    extra = out.with_suffix(".headers.json")
    extra.write_text(json.dumps({"Cookie": f"session={cookie}"} if cookie else {}))
    cmd = ["npx", "-y", LIGHTHOUSE, page_url, "--output=json", f"--output-path={out}", "--quiet",
           "--only-categories=performance,accessibility", f"--emulated-user-agent={UA}",
           f"--extra-headers={extra}", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    run = subprocess.run(cmd, env=os.environ | {"CHROME_PATH": CHROME}, capture_output=True, text=True,
                         timeout=300)
    if run.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse exited {run.returncode}: {(run.stderr or run.stdout).strip()[-800:]}")
    return json.loads(out.read_text())


def _row(name: str, user: str, report: dict) -> list:
    audits, cats = report["audits"], report["categories"]
    value = lambda key: audits[key].get("numericValue") or 0  # noqa: E731
    final = report.get("finalDisplayedUrl") or report.get("finalUrl", "")
    shown = name + (" (→ login!)" if "/login" in final and name != "login" else "")
    return [shown, user, f"{cats['performance']['score']:.2f}", f"{cats['accessibility']['score']:.2f}",
            f"{value('largest-contentful-paint'):.0f}", f"{value('total-blocking-time'):.0f}",
            f"{value('cumulative-layout-shift'):.3f}", f"{value('total-byte-weight') / 1024:.1f}"]


def main() -> None:
    """Seed 300 demo orders, serve them with gunicorn (2 workers) and run Lighthouse on six screens."""
    if not Path(CHROME).exists():
        print(f"skipped: {CHROME} is missing")
        return
    url = seeded_sqlite(300)
    ids = _targets(url)
    screens = [("login", "/login", None), ("warehouse home", "/", "warehouse"),
               ("pack", f"/pack/{ids['task']}", "warehouse"), ("board", "/orders", "manager"),
               ("order page", f"/orders/{ids['order']}", "manager"), ("tracking page", f"/t/{ids['token']}", None)]
    rows = []
    with gunicorn(url) as base, tempfile.TemporaryDirectory() as tmp:
        cookies = {user: _login(base, user) for user in {u for _, _, u in screens if u}}
        for i, (name, path, user) in enumerate(screens):
            try:
                report = _lighthouse(base + path, cookies.get(user), Path(tmp) / f"{i}.json")
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
                print(f"{name}: Lighthouse did not run — {exc}")
                return
            rows.append(_row(name, user or "-", report))
    print(f"Lighthouse {LIGHTHOUSE.split('@')[1]}, mobile profile (simulated slow 4G, 4× CPU), chromium "
          f"{CHROME}, gunicorn 2 workers, SQLite with 300 demo orders; kB = total transferred, first visit")
    print(table(rows, HEADERS))
