"""Lighthouse 12 (mobile profile, Debian's chromium) over six screens through gunicorn, logged in.

Logged-in screens get the session cookie as an extra header; sessions are bound to the user agent,
so the login and Lighthouse use the same one. Prints performance, accessibility, LCP, TBT, CLS and
the bytes transferred of a first visit. Needs npx (npm) and /usr/bin/chromium; says so if missing.

Then each screen once more in Playwright's chromium (same user agent, 390 px, 4x CPU slowdown): what
the browser really transferred (CDP Network.loadingFinished encodedDataLength: headers and compressed
bodies) on a first visit, without the offline copy, and on a repeat visit with a warm cache; and the
long tasks the page itself saw (PerformanceObserver "longtask"; "TBT" = the sum of their parts over
50 ms until the page is quiet). BENCH_LIGHTHOUSE_SKIP=1 runs only this part.
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
BYTES_HEADERS = ["screen", "user", "first kB", "first kB w/o copy", "repeat kB", "repeat: what", "long tasks ms",
                 "TBT-like ms"]
COPY_PATH = "/offline/copy.json"
LONGTASKS = """window.__longtasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) { window.__longtasks.push(e.duration); } })
  .observe({type: "longtask", buffered: true});"""


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


def _visits(browser, base: str, path: str, cookie: str | None) -> dict:
    """Open path twice in one fresh context (cold, then warm cache); return bytes and long tasks."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, user_agent=UA, device_scale_factor=3,
                                  is_mobile=True, has_touch=True)
    if cookie:
        context.add_cookies([{"name": "session", "value": cookie, "url": base}])
    page = context.new_page()
    page.add_init_script(LONGTASKS)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    urls, sizes = {}, {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    out = {}
    for visit in ("first", "repeat"):
        urls.clear()
        sizes.clear()
        page.goto(base + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(3000)  # the offline copy is fetched and saved when the page is idle
        tasks = page.evaluate("window.__longtasks")
        got = {urls.get(rid, "?"): n for rid, n in sizes.items()}
        out[visit] = {"bytes": sum(got.values()),
                      "without_copy": sum(n for u, n in got.items() if COPY_PATH not in u),
                      "what": ", ".join(f"{u.replace(base, '').split('?')[0]} {n / 1024:.1f}"
                                        for u, n in sorted(got.items(), key=lambda kv: -kv[1]) if n)[:70],
                      "longtasks": [round(t) for t in tasks], "tbt": sum(max(0, t - 50) for t in tasks)}
    context.close()
    return out


def browser_bytes(base: str, screens: list, cookies: dict) -> list[list]:
    """First and repeat visit bytes and long tasks per screen, measured in Playwright's chromium."""
    from playwright.sync_api import sync_playwright
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROME, args=["--no-sandbox"])
        for name, path, user in screens:
            v = _visits(browser, base, path, cookies.get(user))
            rows.append([name, user or "-", f"{v['first']['bytes'] / 1024:.1f}",
                         f"{v['first']['without_copy'] / 1024:.1f}", f"{v['repeat']['bytes'] / 1024:.1f}",
                         v["repeat"]["what"] or "-", " ".join(map(str, v["first"]["longtasks"])) or "-",
                         f"{v['first']['tbt']:.0f}"])
        browser.close()
    return rows


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
        if os.environ.get("BENCH_LIGHTHOUSE_SKIP") != "1":
            _lighthouse_rows(base, screens, cookies, Path(tmp), rows)
        cookies = {user: _login(base, user) for user in cookies}  # fresh sessions: none has a CSRF token yet
        measured = browser_bytes(base, screens, cookies)
    print("\nPlaywright chromium, same user agent, 390 px, 4x CPU slowdown; kB = what the browser transferred "
          "(headers + compressed bodies, CDP encodedDataLength); repeat = the same page again, warm cache")
    print(table(measured, BYTES_HEADERS))


def _lighthouse_rows(base: str, screens: list, cookies: dict, tmp: Path, rows: list) -> None:
    """Run Lighthouse once per screen and print its table."""
    for i, (name, path, user) in enumerate(screens):
        try:
            report = _lighthouse(base + path, cookies.get(user), tmp / f"{i}.json")
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            print(f"{name}: Lighthouse did not run — {exc}")
            return
        rows.append(_row(name, user or "-", report))
    print(f"Lighthouse {LIGHTHOUSE.split('@')[1]}, mobile profile (simulated slow 4G, 4× CPU), chromium "
          f"{CHROME}, gunicorn 2 workers, SQLite with 300 demo orders; kB = total transferred, first visit")
    print(table(rows, HEADERS))
