"""Browser fixtures: a live OrderHub on a fresh SQLite database and headless Chromium (Debian's)."""
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests import dbsetup
from tests.factories import make_user
from webapp import create_app
from webapp.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct-horse-1"


def pytest_collection_modifyitems(items):
    """Mark every test in this folder as a browser test."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_args():
    """Return launch arguments; extra flags (fake camera…) are added per test."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("/usr/bin/chromium is missing (apt-get install chromium)")
        pytest.skip("chromium not installed")
    return list(CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def playwright_session():
    """Start Playwright once per worker."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_session, chromium_args):
    """A headless Chromium shared by the tests of one worker."""
    b = playwright_session.chromium.launch(executable_path=CHROMIUM, args=chromium_args)
    yield b
    b.close()


class LiveServer:
    """An OrderHub served by a threaded WSGI server on 127.0.0.1 with its own database."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def user(self, role, username=None, regions=None):
        """Create a user with the test password; return the User."""
        with self.app.app_context():
            return make_user(role, username, regions, PASSWORD)


@pytest.fixture
def live_server(sqlite_template, tmp_path):
    """Serve a fresh OrderHub (CSRF on, real config) for one test; stop it afterwards."""
    path = tmp_path / "live.db"
    shutil.copy(sqlite_template, path)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    server = LiveServer(app)
    server.thread.start()
    yield server
    server.server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def phone(browser, playwright_session):
    """A Pixel 7 browser context in Chinese; returns a new page."""
    device = playwright_session.devices["Pixel 7"]
    context = browser.new_context(**device, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def login(page, base_url, username, password=PASSWORD):
    """Log in through the real form."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    # On a loaded CI machine the page can take longer than the service worker's 3 s network timeout,
    # and the worker then answers with the offline copy (as designed for slow networks); ask again.
    for _ in range(3):
        if "/offline" in page.url or not page.query_selector("[data-offline-page]"):
            break
        page.reload()
        page.wait_for_load_state("networkidle")


SMALL_TARGETS_JS = """
() => Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [role=button]'))
  .filter(el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
                  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; })
  .map(el => { const r = el.getBoundingClientRect();
               return {tag: el.tagName, text: (el.innerText || el.value || el.name || '').trim().slice(0, 30),
                       w: Math.round(r.width), h: Math.round(r.height)}; })
  .filter(t => t.w < 48 || t.h < 48)
"""


def small_targets(page):
    """Return the visible interactive elements smaller than 48 × 48 px."""
    return page.evaluate(SMALL_TARGETS_JS)


def screenshot(page, name):
    """Save a full-page screenshot under test-artifacts/screenshots/."""
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
    return out / f"{name}.png"
