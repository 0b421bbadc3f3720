"""The daily report carries a signed checkpoint of the audit chain, also written to the anchor stores."""
import json
from datetime import date
from pathlib import Path

from tests.audit.test_chain import _fill
from webapp.audit import anchors, chain
from webapp.extensions import db
from webapp.reports import services
from webapp.reports.models import DailyReport

DAY = date(2026, 11, 30)


def test_the_stored_daily_report_holds_a_signed_checkpoint_shown_on_the_page(app, client, login_as):
    _fill(app, 3)
    with app.app_context():
        assert services.store(DAY) is True
        stored = json.loads(db.session.get(DailyReport, DAY.isoformat()).data)["audit_checkpoint"]
        assert (stored["entry_id"], stored["count"]) == (3, 3) and chain.signature_ok(stored)
    lines = (Path(app.config["AUDIT_ANCHOR_DIR"]) / anchors.FILE_NAME).read_text().splitlines()
    assert json.loads(lines[-1]) == stored
    login_as("manager")
    page = client.get(f"/reports/daily?day={DAY}").get_data(as_text=True)
    assert "审计检查点" in page and stored["head"][:16] in page and stored["sig"][:16] in page
