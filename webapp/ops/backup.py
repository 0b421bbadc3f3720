"""Back up, restore and verify: the database (consistent under writes) and the photos in one archive.

Photos are taken from the photo store: the local upload directory, or every object of the
S3-compatible bucket (streamed into the archive). Restore puts them back into the store configured
now (so a restore can also move photos between the two). Restoring needs the same Alembic revision
as this code.
"""
import secrets
import tempfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask

from webapp.core import storage
from webapp.extensions import db
from webapp.ops import archive, dumps, photos
from webapp.ops.archive import ArchiveError

# Tables whose rows make a database "in use": restoring over them needs --yes.
CONTENT_TABLES = ("users", "orders", "audit_entries")


def app_version() -> str:
    """Return the installed OrderHub version."""
    try:
        return metadata.version("orderhub")
    except metadata.PackageNotFoundError:
        return "unknown"


def head_revisions(app: Flask) -> tuple[str, ...]:
    """Return the Alembic head revision(s) of this code's migrations."""
    cached = app.extensions.get("ops_heads")
    if cached is None:
        cfg = Config()
        cfg.set_main_option("script_location", app.extensions["migrate"].directory)
        cached = app.extensions["ops_heads"] = tuple(ScriptDirectory.from_config(cfg).get_heads())
    return cached


def db_kind(engine: sa.Engine) -> str:
    """Name the database kind: sqlite or postgresql."""
    kind = engine.dialect.name
    if kind not in archive.DB_MEMBERS:
        raise ArchiveError(f"backups support SQLite and PostgreSQL, not {kind}")
    return kind


def create(app: Flask, path: Path) -> dict:
    """Write a backup archive of the app's database and photos to path; return its manifest."""
    path = Path(path).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    engine, kind = db.engine, db_kind(db.engine)
    created = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".orderhub-backup-") as tmp:
        dump = Path(tmp) / "dump"
        if kind == "sqlite":
            counts, revision = dumps.dump_sqlite(engine.url.database, dump)
        else:
            counts, revision = dumps.dump_postgres(engine, dump)
        store = storage.store(app)
        local = store.kind == "local"
        where = "local" if local else f"s3://{store.bucket}/{store.prefix}".rstrip("/")
        facts = {"app_version": app_version(), "alembic_revision": revision, "created_at": created,
                 "row_counts": counts, "photos": "included", "photo_store": where}
        return archive.write(path, dump, kind, Path(app.config["UPLOAD_DIR"]) if local else None, facts,
                             archive.signing_key(app.config["SECRET_KEY"]), () if local else photos.objects(store))


def check(app: Flask, path: Path, trust_unsigned: bool = False) -> dict:
    """Check an archive against itself and against this installation; return its manifest."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(f"{path}: no such file")
    manifest = archive.check(path, archive.signing_key(app.config["SECRET_KEY"]), trust_unsigned)
    kind = db_kind(db.engine)
    if manifest["db_kind"] != kind:
        raise ArchiveError(f"{path}: a {manifest['db_kind']} backup cannot be restored into {kind}")
    heads = head_revisions(app)
    if manifest.get("alembic_revision") not in heads:
        raise ArchiveError(f"{path}: the backup is at migration {manifest.get('alembic_revision')!r} but this code "
                           f"is at {', '.join(heads)}: restore it with the OrderHub version that made it "
                           f"({manifest.get('app_version')})")
    return manifest


def in_use() -> bool:
    """Say whether the app's database already holds users, orders or audit entries."""
    tables = set(sa.inspect(db.engine).get_table_names())
    for table in CONTENT_TABLES:
        if table in tables and db.session.execute(sa.text(f'SELECT 1 FROM "{table}" LIMIT 1')).first():
            db.session.rollback()
            return True
    db.session.rollback()
    return False


def restore(app: Flask, path: Path, manifest: dict) -> int:
    """Replace the app's database and add the archive's photos; return how many photos were written."""
    path = Path(path)
    db.session.remove()
    db.engine.dispose()  # no pooled connection keeps the old content (or a lock) around
    with tempfile.TemporaryDirectory(prefix="orderhub-restore-") as tmp:
        dump = Path(tmp) / "dump"
        archive.extract(path, manifest, dump, None)
        if manifest["db_kind"] == "sqlite":
            dumps.load_sqlite(dump, db.engine.url.database)
        else:
            dumps.load_postgres(db.engine.url, dump)
    store = storage.store(app)
    put = None if store.kind == "local" else photos.putter(store)
    written = archive.extract(path, manifest, None, Path(app.config["UPLOAD_DIR"]), put)
    db.engine.dispose()
    return written


def verify(app: Flask, path: Path, manifest: dict) -> list[tuple[str, bool, str]]:
    """Restore the archive into a temporary database, check its audit chain and row counts.

    Return the report as (check, passed, detail) rows.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="orderhub-verify-") as tmp:
        dump = Path(tmp) / "dump"
        archive.extract(path, manifest, dump, None)
        if manifest["db_kind"] == "sqlite":
            return _inspect_copy(app, f"sqlite:///{dump}", manifest, Path(tmp))
        url = dumps.create_pg_database(db.engine.url, f"orderhub_verify_{secrets.token_hex(6)}")
        try:
            dumps.load_postgres(url, dump)
            return _inspect_copy(app, url.render_as_string(hide_password=False), manifest, Path(tmp))
        finally:
            dumps.drop_pg_database(url)


def _inspect_copy(app: Flask, url: str, manifest: dict, tmp: Path) -> list[tuple[str, bool, str]]:
    """Open the restored copy in an app of its own; compare it with the manifest and verify the audit chain."""
    from webapp import create_app

    copy = create_app(dict(app.config) | {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(tmp / "uploads"),
                                          "AUDIT_ANCHOR_DIR": str(tmp / "anchors")})
    rows = []
    with copy.app_context():
        try:
            engine = db.engine
            if manifest["db_kind"] == "sqlite":
                counts, revision = dumps.sqlite_facts(Path(engine.url.database))
            else:
                counts, revision = _pg_facts(engine)
            rows.append(("migration", revision == manifest.get("alembic_revision"), str(revision)))
            rows += _compare_counts(manifest.get("row_counts") or {}, counts)
            rows.append(photos.check_row(manifest, engine))
            rows.append(_audit_row())
        finally:
            db.session.remove()
            db.engine.dispose()
    return rows


def _pg_facts(engine: sa.Engine) -> tuple[dict, str | None]:
    """Return ({table: rows}, alembic revision) of a PostgreSQL database."""
    with engine.connect() as conn:
        tables = sorted(sa.inspect(conn).get_table_names())
        counts = {t: conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar() for t in tables}
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return counts, revision


def _compare_counts(expected: dict, actual: dict) -> list[tuple[str, bool, str]]:
    """Return one report row per table: its restored row count against the manifest's."""
    rows = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        rows.append((f"rows {table}", want == got, f"{got} (manifest {want})"))
    return rows


def _audit_row() -> tuple[str, bool, str]:
    """Run the audit log's own verification (chain, keyed hashes, checkpoints) on the restored copy."""
    from webapp.audit.verify import check

    report = check()
    if report.finding is None:
        return ("audit chain", True, f"{report.count} entries verified")
    where = f" at entry #{report.finding.entry.id}" if report.finding.entry is not None else ""
    return ("audit chain", False, f"{report.finding.kind}{where}: {report.finding.reason}")
