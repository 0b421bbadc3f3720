"""The keyed chain and its checkpoints outside the database catch a cut and a rewrite with rehashing."""
import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from tests.audit.test_chain import _fill, _tamper
from webapp.audit import anchors, chain, services
from webapp.audit.models import AuditEntry
from webapp.extensions import db


def _lines(app) -> list[dict]:
    path = Path(app.config["AUDIT_ANCHOR_DIR"]) / anchors.FILE_NAME
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _checkpoint(app) -> dict:
    with app.app_context():
        written = anchors.write_checkpoint()
        db.session.rollback()
    return written


def _rehash_from(app, backend, first_id: int, scheme: int = chain.KEYED, new_text: str = "forged") -> None:
    """Rewrite entry `first_id` and recompute every hash from it on with plain SHA-256, as an attacker
    with full database access but without the audit key would."""
    with app.app_context():
        rows = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
        prev = next((r.hash for r in reversed(rows) if r.id < first_id), chain.GENESIS)
        changes = []
        for row in rows:
            if row.id < first_id:
                continue
            if row.id == first_id:
                row.new = new_text
            digest = hashlib.sha256((prev + chain.canonical(row)).encode()).hexdigest()
            changes.append({"id": row.id, "new": row.new, "prev": prev, "hash": digest, "scheme": scheme})
            prev = digest
        db.session.rollback()
    with app.app_context(), db.engine.connect() as conn:
        if backend == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_entries_no_update")
        else:
            conn.exec_driver_sql("SET session_replication_role = replica")  # this connection skips triggers
        for change in changes:
            conn.execute(sa.text("UPDATE audit_entries SET new = :new, prev_hash = :prev, hash = :hash, "
                                 "scheme = :scheme WHERE id = :id"), change)
        if backend != "sqlite":
            conn.exec_driver_sql("SET session_replication_role = origin")
        conn.commit()


def test_new_entries_are_keyed_with_hmac_not_plain_sha256(app):
    _fill(app, 2)
    with app.app_context():
        row = db.session.get(AuditEntry, 2)
        assert row.scheme == chain.KEYED
        assert row.hash != hashlib.sha256((row.prev_hash + chain.canonical(row)).encode()).hexdigest()
        assert row.hash == chain.entry_hash(row.prev_hash, row)


def test_intact_log_passes_and_writes_a_fresh_checkpoint(app, runner):
    _fill(app, 4)
    _checkpoint(app)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "OK: 4 entries, checked against 1 checkpoint" in result.output
    lines = _lines(app)
    assert len(lines) == 2 and (lines[-1]["entry_id"], lines[-1]["count"]) == (4, 4)
    with app.app_context():
        assert chain.signature_ok(lines[-1]) and lines[-1]["head"] == db.session.get(AuditEntry, 4).hash


def test_deleting_the_newest_entries_after_a_checkpoint_is_a_cut(app, runner, backend):
    _fill(app, 6)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0  # writes the checkpoint at #6
    _tamper(app, backend, "DELETE FROM audit_entries WHERE id > 3")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN (cut)" in result.output and "ends at entry #3 (3 entries)" in result.output
    assert "recorded entry #6 (6 entries)" in result.output
    assert len(_lines(app)) == 1, "a failed verify writes no checkpoint"


def test_a_cut_before_any_checkpoint_cannot_be_seen_so_verify_anchors_often(app, runner, backend):
    _fill(app, 3)
    _tamper(app, backend, "DELETE FROM audit_entries WHERE id = 3")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_rewriting_an_entry_and_recomputing_every_hash_fails_the_hmac(app, runner, backend):
    _fill(app, 5)
    _checkpoint(app)
    _rehash_from(app, backend, 3)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN (rewrite) at entry #3 " in result.output and "HMAC" in result.output


def test_rewriting_and_relabelling_entries_as_plain_sha256_is_caught(app, runner, backend):
    _fill(app, 5)
    _rehash_from(app, backend, 3, scheme=chain.LEGACY)  # no checkpoint: the keyed entries before it tell
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN (rewrite) at entry #3 " in result.output
    assert "plain SHA-256" in result.output


def test_rewriting_the_whole_chain_as_plain_sha256_is_caught_by_a_checkpoint(app, runner, backend):
    _fill(app, 4)
    _checkpoint(app)
    _rehash_from(app, backend, 1, scheme=chain.LEGACY)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN (rewrite) at entry #1 " in result.output


def test_a_forged_checkpoint_line_fails_verify(app, runner):
    _fill(app, 2)
    forged = dict(_checkpoint(app), count=1, sig="0" * 64)
    with open(Path(app.config["AUDIT_ANCHOR_DIR"]) / anchors.FILE_NAME, "a") as out:
        out.write(json.dumps(forged) + "\n")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN (anchor)" in result.output


def test_plain_entries_from_before_the_cut_over_stay_verifiable(app, runner, backend):
    """Entries written before issue 17 keep their SHA-256 hashes; the first keyed entry links to them."""
    _fill(app, 2)
    _rehash_from(app, backend, 1, scheme=chain.LEGACY, new_text="新地址 0")  # as the old code wrote them
    _fill(app, 2)
    with app.app_context():
        rows = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [r.scheme for r in rows] == [1, 1, 2, 2] and rows[2].prev_hash == rows[1].hash
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert _lines(app)[-1]["keyed_from"] == 3


def test_a_different_audit_key_breaks_every_keyed_entry(app, runner):
    _fill(app, 2)
    app.config["AUDIT_KEY"] = "another key"
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "entry #1 " in result.output


def test_the_key_comes_from_orderhub_audit_key_when_set(app):
    with app.app_context():
        derived = chain.audit_key()
        app.config["AUDIT_KEY"] = "k" * 40
        assert chain.audit_key() == b"k" * 40 != derived and chain.key_source() == "ORDERHUB_AUDIT_KEY"


def test_checkpoints_go_to_every_registered_store(app, runner, backend, monkeypatch):
    class Memory:
        name, kept = "memory", []

        def append(self, line):
            self.kept.append(line)

        def lines(self):
            return list(self.kept)

    memory = Memory()
    monkeypatch.setattr(anchors, "_factories", [lambda _app: memory])
    _fill(app, 3)
    _checkpoint(app)
    assert len(memory.kept) == 1 and len(_lines(app)) == 1
    (Path(app.config["AUDIT_ANCHOR_DIR"]) / anchors.FILE_NAME).unlink()  # the file is gone: the other store tells
    _tamper(app, backend, "DELETE FROM audit_entries WHERE id = 3")
    assert "BROKEN (cut)" in runner.invoke(args=["audit", "verify"]).output


def test_the_hourly_job_is_due_on_the_hour_and_writes_a_checkpoint(app):
    from webapp import jobs
    from webapp.audit import tasks
    _fill(app, 2)
    jobs.bind(app)
    due = {task.name for task in jobs.huey.read_periodic(datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc))}
    later = {task.name for task in jobs.huey.read_periodic(datetime(2026, 12, 1, 9, 1, tzinfo=timezone.utc))}
    assert "hourly_checkpoint" in due and "hourly_checkpoint" not in later
    tasks.hourly_checkpoint.call_local()
    assert _lines(app)[-1]["count"] == 2


def test_checkpoints_of_another_database_are_not_mixed_in(app, runner):
    _fill(app, 2)
    other = dict(_checkpoint(app), db="another-database", count=99, entry_id=99)
    with app.app_context():
        other["sig"] = chain.sign(other)
    with open(Path(app.config["AUDIT_ANCHOR_DIR"]) / anchors.FILE_NAME, "a") as out:
        out.write(json.dumps(other) + "\n")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_services_verify_still_names_the_first_broken_entry(app, backend):
    _fill(app, 3)
    _rehash_from(app, backend, 2)
    with app.app_context():
        assert services.verify().id == 2


def test_a_cut_followed_by_new_entries_is_still_a_cut(app, runner, backend):
    _fill(app, 5)
    _checkpoint(app)
    _tamper(app, backend, "DELETE FROM audit_entries WHERE id > 2")
    _fill(app, 4)  # the application goes on writing after the cut
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN (cut)" in result.output
