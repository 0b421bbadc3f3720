"""`flask backup create|restore|verify PATH`: archives of the database and the photos."""
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.core.storage import StoreError
from webapp.ops import backup, restored
from webapp.ops.archive import ArchiveError
from webapp.ops.dumps import DumpError

backup_cli = AppGroup("backup", help="Back up, restore and verify the database and photos.")


def _fail(exc: Exception) -> None:
    """Print the error and exit 1."""
    click.echo(f"error: {exc}", err=True)
    sys.exit(1)


@backup_cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def create(path):
    """Write a consistent backup (database + photos + manifest) to PATH (.tar, or .tar.gz to compress)."""
    started = time.perf_counter()
    try:
        manifest = backup.create(current_app._get_current_object(), path)
    except (ArchiveError, DumpError, OSError, StoreError) as exc:
        _fail(exc)
    rows = sum(manifest["row_counts"].values())
    photos = len(manifest["members"]) - 1
    click.echo(f"backup written: {path} ({manifest['db_kind']}, migration {manifest['alembic_revision']}, "
               f"{rows} rows, {photos} photos, {time.perf_counter() - started:.1f} s)")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Overwrite a database that already holds data without asking.")
@click.option("--trust-unsigned", is_flag=True, help="Accept a manifest signed with another SECRET_KEY.")
def restore(path, yes, trust_unsigned):
    """Replace the database with the backup at PATH and put its photos back (stop app servers first)."""
    app = current_app._get_current_object()
    started = time.perf_counter()
    try:
        manifest = backup.check(app, path, trust_unsigned)
        if backup.in_use() and not yes:
            click.confirm(f"The database {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]} holds data; "
                          f"replace it with the backup of {manifest['created_at']}?", abort=True)
        before = restored.known_head()
        photos = backup.restore(app, path, manifest)
    except (ArchiveError, DumpError, OSError, StoreError) as exc:
        _fail(exc)
    click.echo(f"restored {path} (made {manifest['created_at']}, {sum(manifest['row_counts'].values())} rows, "
               f"{photos} photos) in {time.perf_counter() - started:.1f} s")
    _acknowledge(path, manifest, before)


def _acknowledge(path: Path, manifest: dict, before: dict) -> None:
    """Hold the outbox the backup brought back, audit and anchor the restore; say what verify now finds."""
    from webapp.audit.verify import check

    try:
        done = restored.acknowledge(path, manifest, before)
    except OSError as exc:
        _fail(f"the restore is done, but it could not be anchored ({exc}): `audit verify` will report a cut")
    first = done["restored"]["entry_id"] + 1
    lost = f"#{first}–#{done['lost_to']}" if done["lost_to"] >= first else "none"
    click.echo(f"audit: restore recorded as entry #{done['entry_id']} and anchored; entries lost: {lost}")
    if done["held"]:
        click.echo(f"outbox: {len(done['held'])} message(s) unsent at backup time are HELD, not sent again; "
                   "see `flask --app webapp outbox list`, then `outbox release` or `outbox drop`")
    finding = check().finding
    if finding is not None:
        click.echo(f"note: audit verify reports {finding.kind}: {finding.reason}", err=True)


@backup_cli.command("verify")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--trust-unsigned", is_flag=True, help="Accept a manifest signed with another SECRET_KEY.")
def verify(path, trust_unsigned):
    """Restore PATH into a temporary database, verify its audit chain and row counts; exit 1 on a mismatch."""
    app = current_app._get_current_object()
    try:
        manifest = backup.check(app, path, trust_unsigned)
        click.echo(f"archive {path}: {len(manifest['members'])} members, sha256 and signature OK "
                   f"(made {manifest['created_at']}, OrderHub {manifest['app_version']})")
        report = backup.verify(app, path, manifest)
    except (ArchiveError, DumpError, OSError, StoreError) as exc:
        _fail(exc)
    for name, ok, detail in report:
        click.echo(f"{'ok  ' if ok else 'FAIL'}  {name}: {detail}")
    failed = [name for name, ok, _ in report if not ok]
    if failed:
        click.echo(f"backup verify FAILED: {', '.join(failed)}", err=True)
        sys.exit(1)
    click.echo("backup verify OK")
