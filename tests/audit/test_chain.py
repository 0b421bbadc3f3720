"""The audit log is append-only (the database refuses changes), hash-chained, verified and exported."""
import json

import pytest
import sqlalchemy as sa

from webapp.audit import services
from webapp.audit.models import AuditEntry
from webapp.extensions import db


def _fill(app, n=5):
    with app.app_context():
        for i in range(n):
            services.record("update", via="system", order_no=f"SO20261126-{i % 2:04d}", field="address",
                            old=f"旧地址 {i}", new=f"新地址 {i}")
        db.session.commit()


def _tamper(app, backend, sql, **params):
    """Change the log behind the app's back, with the append-only trigger out of the way."""
    with app.app_context(), db.engine.connect() as conn:
        if backend == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_entries_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_entries_no_delete")
        else:
            conn.exec_driver_sql("SET session_replication_role = replica")  # this connection skips triggers
        conn.execute(sa.text(sql), params)
        if backend != "sqlite":
            conn.exec_driver_sql("SET session_replication_role = origin")
        conn.commit()


def test_entries_chain_from_genesis(app):
    _fill(app, 3)
    with app.app_context():
        rows = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
        assert rows[0].prev_hash == services.GENESIS
        assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
        assert services.verify() is None


@pytest.mark.parametrize("sql", ["UPDATE audit_entries SET new = 'x' WHERE id = 1",
                                 "DELETE FROM audit_entries WHERE id = 1"])
def test_database_refuses_update_and_delete(app, sql):
    _fill(app, 1)
    with app.app_context():
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            db.session.execute(sa.text(sql))
        db.session.rollback()
        assert db.session.get(AuditEntry, 1).new == "新地址 0"


def test_orm_cannot_change_an_entry_either(app):
    _fill(app, 1)
    with app.app_context():
        entry = db.session.get(AuditEntry, 1)
        entry.new = "篡改"
        with pytest.raises(sa.exc.DBAPIError):
            db.session.commit()
        db.session.rollback()


def test_a_fork_in_the_chain_is_refused(app):
    _fill(app, 2)
    with app.app_context():
        first = db.session.get(AuditEntry, 1)
        fork = AuditEntry(at=first.at, actor="x", via="system", action="update", detail="",
                          prev_hash=first.prev_hash, hash="f" * 64)
        db.session.add(fork)
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_verify_passes_on_an_untouched_log(app, runner):
    _fill(app)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "OK: 5 entries" in result.output


def test_changing_one_row_by_hand_makes_verify_fail_and_name_it(app, runner, backend):
    _fill(app)
    _tamper(app, backend, "UPDATE audit_entries SET new = :v WHERE id = 3", v="上海市浦东新区 (forged)")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "entry #3 " in result.output and "SO20261126-0000" in result.output


def test_deleting_a_row_by_hand_is_detected_at_the_next_entry(app, runner, backend):
    _fill(app)
    _tamper(app, backend, "DELETE FROM audit_entries WHERE id = 2")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "entry #3 " in result.output


def test_rehashing_a_forged_row_still_breaks_the_next_link(app, runner, backend):
    _fill(app)
    with app.app_context():
        row = db.session.get(AuditEntry, 2)
        row.new = "forged"
        forged_hash = services.entry_hash(row.prev_hash, row)
        db.session.rollback()
    _tamper(app, backend, "UPDATE audit_entries SET new = 'forged', hash = :h WHERE id = 2", h=forged_hash)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "entry #3 " in result.output


def test_export_prints_json_lines_with_the_contract_keys(app, runner):
    _fill(app, 4)
    lines = runner.invoke(args=["audit", "export"]).output.strip().splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 4
    for key in ("at", "actor", "via", "order_no", "field", "old", "new"):
        assert key in rows[0]
    assert rows[0]["old"] == "旧地址 0" and rows[0]["via"] == "system"
    only = runner.invoke(args=["audit", "export", "--order", "SO20261126-0001"]).output.strip().splitlines()
    assert [json.loads(line)["new"] for line in only] == ["新地址 1", "新地址 3"]


def test_unknown_channel_is_refused(app):
    with app.app_context(), pytest.raises(ValueError):
        services.record("update", via="email")


def test_times_are_logged_as_utc_instants(app):
    from datetime import datetime
    from zoneinfo import ZoneInfo
    local = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert services.as_text(local) == "2026-11-20T02:00:00+00:00"
