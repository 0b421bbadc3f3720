"""The login race: logging in while the service worker precaches the shell always lands logged in.

The shell pages are slowed down on the server so that their answers arrive after the login's; before
the fix such a late answer carried an anonymous session cookie that replaced the fresh login cookie.
"""
import threading
import time

from tests.browser.conftest import PASSWORD
from tests.waiting import wait_until

ROUNDS = 10
SHELL_DELAY = 0.8  # seconds each offline shell page takes to answer


class SlowShell:
    """WSGI middleware: delay the offline shell pages and note when each one started and ended."""

    def __init__(self, app):
        self.app, self.spans, self.started = app, [], threading.Event()

    def __call__(self, environ, start_response):
        if not environ["PATH_INFO"].startswith("/offline/") or environ["PATH_INFO"].endswith(".json"):
            return self.app(environ, start_response)
        begin = time.monotonic()
        self.started.set()
        time.sleep(SHELL_DELAY)
        try:
            return self.app(environ, start_response)
        finally:
            self.spans.append((begin, time.monotonic()))


def _user_on_page(page):
    return page.evaluate("() => (document.querySelector('meta[name=orderhub-offline]') || {dataset: {}}).dataset.user")


def test_login_while_the_worker_precaches_always_lands_logged_in(live_server, browser, playwright_session):
    user = live_server.user("warehouse")
    slow = SlowShell(live_server.app.wsgi_app)
    live_server.app.wsgi_app = slow
    device = playwright_session.devices["Pixel 7"]
    overlapped = 0
    for round_no in range(ROUNDS):
        context = browser.new_context(**device, locale="zh-CN")  # a fresh device: the worker installs anew
        page = context.new_page()
        slow.started.clear()
        page.goto(f"{live_server.url}/login")
        assert slow.started.wait(10), "the service worker never started precaching"
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        logged_in_at = time.monotonic()
        assert "/login" not in page.url, f"round {round_no}: bounced to {page.url}"
        wait_until(lambda: page.evaluate("async () => !!(await navigator.serviceWorker.ready).active"),
                   timeout=20, interval=0.2, message="worker installed")
        overlapped += any(begin < logged_in_at < end for begin, end in slow.spans)
        page.goto(f"{live_server.url}/")  # after every late shell answer has landed
        assert "/login" not in page.url and _user_on_page(page) == str(user.id), f"round {round_no}: logged out"
        context.close()
    assert overlapped >= ROUNDS // 2, f"precaching overlapped the login only {overlapped} times"
