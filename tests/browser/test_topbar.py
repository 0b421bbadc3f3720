"""The top bar on a 390 px phone stays one line in English too: "Log out" and "中文" never wrap."""
import pytest

from tests.browser.conftest import login, screenshot, small_targets
from webapp.auth.models import User
from webapp.extensions import db

BAR = """() => { const bar = document.querySelector('.topbar').getBoundingClientRect();
  const lines = (el) => { const range = document.createRange(); range.selectNodeContents(el);
    return new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top))).size; };
  const parts = Array.from(document.querySelectorAll('.topbar .brand, .topbar .who, .topbar button')).map((el) => {
    const r = el.getBoundingClientRect();
    return {text: el.innerText.trim(), h: Math.round(r.height), top: Math.round(r.top), right: Math.round(r.right),
            lines: lines(el)}; });
  return {h: Math.round(bar.height), w: Math.round(bar.width), parts: parts}; }"""


@pytest.mark.parametrize("role, regions", [("warehouse", ["east", "north"]), ("manager", None)])
def test_english_top_bar_is_one_line_at_390_px(live_server, browser, role, regions):
    user = live_server.user(role, regions=regions)
    with live_server.app.app_context():
        db.session.get(User, user.id).display_name = "Christopher Montgomery"
        db.session.commit()
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
                                  has_touch=True, locale="en-US")
    page = context.new_page()
    try:
        login(page, live_server.url, user.username)
        if page.query_selector(".topbar button[name=lang][value=en]"):  # the browser's language may pick it
            page.click(".topbar button[name=lang][value=en]")
            page.wait_for_load_state("networkidle")
        bar = page.evaluate(BAR)
        texts = [p["text"] for p in bar["parts"]]
        assert "Log out" in texts and "中文" in texts, texts
        assert bar["h"] <= 60, bar  # min-height 56: one row
        for part in bar["parts"]:
            assert part["h"] <= 52 and part["lines"] <= 1, part  # no label wrapped onto a second line
            assert part["right"] <= 390, part  # nothing pushed off the screen
        assert len({p["top"] for p in bar["parts"] if p["text"] in ("Log out", "中文")}) == 1
        assert small_targets(page) == []
        screenshot(page, f"topbar-en-390-{role}")
    finally:
        context.close()
