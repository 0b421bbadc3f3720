"""`flask backup create|restore|verify`: round trip under writes, tampered archives refused, verify's checks."""
import io
import json
import tarfile
import threading
from pathlib import Path

import sqlalchemy as sa

from tests.factories import make_order, make_user
from webapp.audit import services as audit
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.ops import archive
from webapp.orders.models import Order


def _seed(app, orders=3):
    """Create a user, a few orders (audited through the service) and one photo file."""
    with app.app_context():
        user = make_user("sales")
        for _ in range(orders):
            make_order(user)
    photo = Path(app.config["UPLOAD_DIR"]) / "photos" / "1" / "proof.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8 a packed parcel")
    return photo


def _count(app, model):
    with app.app_context():
        n = db.session.scalar(sa.select(sa.func.count()).select_from(model))
        db.session.remove()
        return n


def _writer(app, stop: threading.Event, written: list):
    """Append audit entries, one transaction each, until told to stop."""
    with app.app_context():
        while not stop.is_set():
            audit.record("test.concurrent_write", detail=str(len(written)))
            db.session.commit()
            written.append(1)
        db.session.remove()


def test_backup_round_trip_under_concurrent_writes(app, runner, tmp_path):
    photo = _seed(app)
    stop, written = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(app, stop, written))
    thread.start()
    try:
        while len(written) < 5:  # the writer is really running before the backup starts
            stop.wait(0.01)
        result = runner.invoke(args=["backup", "create", str(tmp_path / "b.tar.gz")])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    manifest = archive.check(tmp_path / "b.tar.gz", archive.signing_key(app.config["SECRET_KEY"]))
    assert manifest["row_counts"]["orders"] == 3
    assert "uploads/photos/1/proof.jpg" in manifest["members"]

    verified = runner.invoke(args=["backup", "verify", str(tmp_path / "b.tar.gz")])
    assert verified.exit_code == 0, verified.output
    assert "ok    audit chain" in verified.output and "backup verify OK" in verified.output

    with app.app_context():  # life goes on after the backup: more orders, a lost photo
        make_order(make_user("sales"))
    photo.unlink()
    restored = runner.invoke(args=["backup", "restore", str(tmp_path / "b.tar.gz"), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _count(app, Order) == 3
    assert _count(app, AuditEntry) == manifest["row_counts"]["audit_entries"] + 1  # + the restore's own entry
    assert photo.read_bytes() == b"\xff\xd8 a packed parcel"
    with app.app_context():
        assert audit.verify() is None


def test_restore_over_data_needs_confirmation(app, runner, tmp_path):
    _seed(app)
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b.tar")]).exit_code == 0
    with app.app_context():
        make_order(make_user("sales"))
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "b.tar")], input="n\n")
    assert result.exit_code != 0
    assert "holds data" in result.output
    assert _count(app, Order) == 4  # nothing replaced


def _rewrite(src, dest, change):
    """Copy a tar archive, passing each member's (name, bytes) through change()."""
    with tarfile.open(src) as old, tarfile.open(dest, "w") as new:
        for info in old:
            name, data = change(info.name, old.extractfile(info).read())
            info.name, info.size = name, len(data)
            new.addfile(info, io.BytesIO(data))


def test_tampered_archive_is_refused(app, runner, tmp_path):
    _seed(app)
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b.tar")]).exit_code == 0
    altered_photo = lambda n, d: (n, d + b"!" if n.startswith("uploads/") else d)  # noqa: E731
    _rewrite(tmp_path / "b.tar", tmp_path / "photo.tar", altered_photo)

    def more_orders(name, data):  # the manifest edited by hand: its signature no longer fits
        if name != archive.MANIFEST:
            return name, data
        manifest = json.loads(data)
        manifest["row_counts"]["orders"] = 99
        return name, json.dumps(manifest).encode()
    _rewrite(tmp_path / "b.tar", tmp_path / "manifest.tar", more_orders)
    (tmp_path / "cut.tar").write_bytes((tmp_path / "b.tar").read_bytes()[:3000])

    for name, reason in (("photo.tar", "does not match its sha256"), ("manifest.tar", "signature does not match"),
                         ("cut.tar", "truncated or corrupt")):
        for command in ("restore", "verify"):
            extra = ["--yes"] if command == "restore" else []
            result = runner.invoke(args=["backup", command, str(tmp_path / name), *extra])
            assert result.exit_code == 1, (name, command, result.output)
            assert reason in result.output, (name, command, result.output)
    assert _count(app, Order) == 3


def _resign(app, src, dest, edit):
    """Copy an archive with its manifest edited and signed again with this installation's key."""
    def change(name, data):
        if name != archive.MANIFEST:
            return name, data
        manifest = json.loads(data)
        edit(manifest)
        manifest["signature"] = archive._signature(manifest, archive.signing_key(app.config["SECRET_KEY"]))
        return name, json.dumps(manifest).encode()
    _rewrite(src, dest, change)


def test_verify_fails_when_counts_differ_from_the_manifest(app, runner, tmp_path):
    _seed(app)
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b.tar")]).exit_code == 0
    _resign(app, tmp_path / "b.tar", tmp_path / "counts.tar", lambda m: m["row_counts"].update(orders=4))
    result = runner.invoke(args=["backup", "verify", str(tmp_path / "counts.tar")])
    assert result.exit_code == 1
    assert "FAIL  rows orders: 3 (manifest 4)" in result.output


def test_verify_fails_on_a_broken_audit_chain(app, backend, runner, tmp_path):
    _seed(app)
    with app.app_context(), db.engine.begin() as conn:  # rewrite an entry with the append-only trigger aside
        if backend == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_entries_no_update")
        else:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.execute(sa.update(AuditEntry).where(AuditEntry.id == 1).values(detail="rewritten"))
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b.tar")]).exit_code == 0
    result = runner.invoke(args=["backup", "verify", str(tmp_path / "b.tar")])
    assert result.exit_code == 1
    assert "FAIL  audit chain" in result.output


def test_restore_refuses_a_backup_of_another_migration(app, runner, tmp_path):
    _seed(app)
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b.tar")]).exit_code == 0
    _resign(app, tmp_path / "b.tar", tmp_path / "old.tar", lambda m: m.update(alembic_revision="w1_older"))
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "old.tar"), "--yes"])
    assert result.exit_code == 1
    assert "migration 'w1_older'" in result.output
    assert _count(app, Order) == 3
