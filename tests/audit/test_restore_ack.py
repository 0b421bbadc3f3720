"""A restore is acknowledged in the anchors: `audit verify` names it and its lost range, and still catches later cuts."""
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.audit.test_chain import _fill, _tamper
from webapp.audit import anchors
from webapp.audit.models import AuditEntry
from webapp.extensions import db


def _verify(runner):
    return runner.invoke(args=["audit", "verify"])


def _restored(app, runner, tmp_path):
    """4 entries anchored, a backup, 3 more anchored, then the restore of that backup."""
    _fill(app, 4)
    assert _verify(runner).exit_code == 0
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b.tar")]).exit_code == 0
    _fill(app, 3)
    assert _verify(runner).exit_code == 0  # a checkpoint at entry #7, which the restore will lose
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "b.tar"), "--yes"])
    assert result.exit_code == 0, result.output
    return result


def _markers(app) -> list[dict]:
    path = Path(app.config["AUDIT_ANCHOR_DIR"]) / anchors.FILE_NAME
    return [c for c in map(json.loads, path.read_text().splitlines()) if c.get("kind") == anchors.RESTORE]


def test_restore_leaves_an_audit_entry_and_a_signed_marker_naming_the_lost_range(app, runner, tmp_path):
    result = _restored(app, runner, tmp_path)
    assert "restore recorded as entry #5" in result.output and "entries lost: #5–#7" in result.output
    assert "note: audit verify reports" not in result.output
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        assert (entry.id, entry.action, entry.new) == (5, "backup_restored", "b.tar")
        assert "entries after #4 are gone (#5–#7)" in entry.detail
        [marker] = _markers(app)
        assert (marker["restored_id"], marker["lost_to"], marker["entry_id"]) == (4, 7, 5)
        assert marker["backup"]["file"] == "b.tar" and anchors.chain.signature_ok(marker)


def test_verify_reports_the_restore_instead_of_a_cut(app, runner, tmp_path):
    _restored(app, runner, tmp_path)
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "restore acknowledged" in result.output and "b.tar" in result.output
    assert "entries #5–#7 (3) are gone" in result.output and "the restore is entry #5" in result.output
    assert "audit chain OK: 5 entries" in result.output


@pytest.mark.parametrize("sql", ["DELETE FROM audit_entries WHERE id > 6",  # after the restore
                                 "DELETE FROM audit_entries WHERE id >= 5",  # the restore's own entry
                                 "DELETE FROM audit_entries WHERE id > 2"])  # before the backup
def test_a_cut_after_the_restore_is_still_caught(app, runner, backend, tmp_path, sql):
    _restored(app, runner, tmp_path)
    _fill(app, 3)  # entries #6–#8 after the restore
    assert _verify(runner).exit_code == 0
    _tamper(app, backend, sql)
    result = _verify(runner)
    assert result.exit_code == 1 and "BROKEN (cut)" in result.output, result.output


def test_a_marker_without_a_valid_signature_acknowledges_nothing(app, runner, tmp_path):
    _restored(app, runner, tmp_path)
    path = Path(app.config["AUDIT_ANCHOR_DIR"]) / anchors.FILE_NAME
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    kept = [c for c in lines if c.get("kind") != anchors.RESTORE]
    forged = dict(_markers(app)[0], restored_id=1)  # claims more was lost than really was
    path.write_text("".join(json.dumps(c) + "\n" for c in kept + [forged]))
    result = _verify(runner)
    assert result.exit_code == 1 and "BROKEN (" in result.output
