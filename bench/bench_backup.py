"""Backup, verify and restore times at 100,000 orders (SQLite, and PostgreSQL when reachable).

`python -m bench backup`. The database gets BENCH_BACKUP_ORDERS orders (100000) from gen_orders,
BENCH_BACKUP_AUDIT audit entries written through the audit service (20000) and BENCH_BACKUP_PHOTOS
photo-sized files of 150 kB (200). Times are for the service calls behind `flask backup create|verify|restore`
(the CLI adds about a second of app start-up). BENCH_BACKUP_PG_ORDERS (100000; 0 skips PostgreSQL),
BENCH_PG_URL's server gets a database `orderhub_bench_backup` (dropped and re-created).
"""
import os
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench import gen_orders
from bench.bench_orders import _pg_database, _prepare
from bench.common import table


def _audit_entries(app, n: int) -> None:
    """Append n audit entries through the audit service, committing every 1000."""
    from webapp.audit import services as audit
    from webapp.extensions import db
    with app.app_context():
        for i in range(n):
            audit.record("bench.entry", detail=f"entry {i}")
            if i % 1000 == 999:
                db.session.commit()
        db.session.commit()


def _photos(directory: Path, n: int) -> int:
    """Write n incompressible photo-sized files; return their total size."""
    for i in range(n):
        path = directory / "photos" / str(i % 50) / f"{i:06d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(150_000))
    return n * 150_000


def _timed(fn, *args):
    """Call fn(*args); return (result, seconds)."""
    t0 = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t0


def run(label: str, url: str, n: int, fill) -> list[list]:
    """Fill a database, then time create (.tar.gz and .tar), verify and restore; return table rows."""
    from webapp import create_app
    from webapp.extensions import db
    from webapp.ops import backup

    ids = _prepare(url)
    tmp = Path(tempfile.mkdtemp(prefix="orderhub-bench-backup-"))
    fill(url, n, ids["sales"])
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(tmp / "uploads")})
    _audit_entries(app, int(os.environ.get("BENCH_BACKUP_AUDIT", 20_000)))
    photo_bytes = _photos(tmp / "uploads", int(os.environ.get("BENCH_BACKUP_PHOTOS", 200)))
    rows = []
    with app.app_context():
        for name in ("b.tar.gz", "b.tar"):
            manifest, seconds = _timed(backup.create, app, tmp / name)
            size = (tmp / name).stat().st_size / 1e6
            rows.append([label, f"create {name}", f"{seconds:.1f}", f"{size:.0f} MB"])
        checked, seconds = _timed(backup.check, app, tmp / "b.tar.gz")
        rows.append([label, "check (hashes, signature)", f"{seconds:.1f}", ""])
        report, seconds = _timed(backup.verify, app, tmp / "b.tar.gz", checked)
        failed = [r[0] for r in report if not r[1]]
        rows.append([label, "verify (temp db, audit, counts)", f"{seconds:.1f}", "FAILED " + ", ".join(failed)
                     if failed else "ok"])
        _, seconds = _timed(backup.restore, app, tmp / "b.tar.gz", checked)
        rows.append([label, "restore (over the live db)", f"{seconds:.1f}", ""])
        db.session.remove()
        db.engine.dispose()
    counts = manifest["row_counts"]
    print(f"{label}: {counts['orders']:,} orders, {counts['order_lines']:,} lines, "
          f"{counts['audit_entries']:,} audit entries, {photo_bytes / 1e6:.0f} MB photos", flush=True)
    return rows


def main() -> None:
    """Print backup, verify and restore times for SQLite and PostgreSQL."""
    n = int(os.environ.get("BENCH_BACKUP_ORDERS", 100_000))
    n_pg = int(os.environ.get("BENCH_BACKUP_PG_ORDERS", 100_000))
    pg_url = sa.make_url(os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/orderhub_bench"))
    pg_url = pg_url.set(database="orderhub_bench_backup").render_as_string(hide_password=False)
    path = Path(tempfile.mkdtemp(prefix="orderhub-bench-backup-")) / "orders.db"
    rows = run("SQLite", f"sqlite:///{path}", n, lambda url, k, ids: gen_orders.fill_sqlite(str(path), k, ids))
    if n_pg and _pg_database(pg_url):
        rows += run("PostgreSQL", pg_url, n_pg, gen_orders.fill_postgres)
    print(table(rows, ["database", "step", "seconds", "result"]))
