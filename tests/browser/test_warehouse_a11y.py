"""axe-core on every warehouse screen (Pixel 7, Chinese): no serious or critical accessibility issue."""
from pathlib import Path

import pytest

from tests.browser.conftest import login, screenshot
from tests.factories import make_order
from webapp.extensions import db
from webapp.warehouse.models import Scan

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_phone(browser, playwright_session):
    """A Pixel 7 page that lets the test inject axe-core (the app's CSP would refuse the script)."""
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `make setup` (npm ci)")
    context = browser.new_context(**playwright_session.devices["Pixel 7"], locale="zh-CN", bypass_csp=True)
    yield context.new_page()
    context.close()


def serious_issues(page) -> list:
    """Run axe-core on the page; return the serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _orders(live_server):
    with live_server.app.app_context():
        scanned = make_order(status="in_production", notes="易碎")
        db.session.add(Scan(order_id=scanned.id, method="camera"))
        db.session.commit()
        return make_order(status="confirmed").order_no, scanned.order_no, make_order(status="outbound").order_no


def test_every_warehouse_screen_passes_axe(live_server, axe_phone):
    fresh, scanned, shipped = _orders(live_server)
    live_server.user("warehouse", username="axe_worker")
    login(axe_phone, live_server.url, "axe_worker")
    screens = {"home": "/", "scan": "/scan", "pack-typed": f"/pack/{fresh}", "pack-scanned": f"/pack/{scanned}",
               "done": f"/pack/{shipped}/done", "handover": f"/pack/{shipped}/handover",
               "label": f"/print/label/{fresh}", "slip": f"/print/slip/{fresh}", "labels": "/print/labels?region=east"}
    found = {}
    for name, path in screens.items():
        axe_phone.goto(live_server.url + path)
        axe_phone.wait_for_load_state("networkidle")
        issues = serious_issues(axe_phone)
        if issues:
            found[name] = issues
        screenshot(axe_phone, f"warehouse-axe-{name}")
    assert found == {}, found
