"""Intake import job: what the upload path (job row, column mapping, streamed parse, progress) adds on top
of the shared order write path, for an XLSX of ROWS rows (default 1,000; `python -m bench.bench_intake_job N`).

Prints wall and CPU seconds for: reading + mapping + grouping every row without writing (the job's own
work), the import job end to end (in-process, as the worker runs it), and the same file through
`flask import orders` (the shared write path with no job around it) on a second channel.
"""
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_intake import write_xlsx
from bench.common import seeded_sqlite, table


def timed(fn):
    """Run fn(); return (result, wall seconds, CPU seconds of this process)."""
    w0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - w0, time.process_time() - c0


def main(rows: int = int(os.environ.get("BENCH_INTAKE_JOB_ROWS", "1000"))) -> None:
    from sqlalchemy import select

    from webapp import create_app
    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.intake import files, importjobs, mappings
    from webapp.intake.services import catalogue_names
    url = seeded_sqlite(orders=50)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "IMPORT_UI_MAX_ROWS": rows + 1})
    folder = Path(tempfile.mkdtemp(prefix="orderhub-bench-"))
    path = folder / "orders.xlsx"
    out = []
    try:
        with app.app_context():
            write_xlsx(path, sorted(set(catalogue_names().values())), n=rows)
        # The shared write path alone first (it also warms the process), then the same file as a job.
        args = ["import", "orders", str(path), "--channel", "web", "--user", "sales"]
        result, wall, cpu = timed(lambda: app.test_cli_runner().invoke(args=args))
        out.append(["`flask import orders`, same file, no job", f"{wall:.1f} s", f"{cpu:.1f} s",
                    result.output.strip().splitlines()[-1]])
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == "sales"))

            def parse_only():
                _header, _columns, stream = files.read(path)
                return sum(1 for _ in files.drafts(stream))
            drafts, wall, cpu = timed(parse_only)
            out.append([f"read + map + group {rows:,} rows (no writes)", f"{wall:.2f} s", f"{cpu:.2f} s",
                        f"{drafts} drafts, {1000 * wall / rows:.2f} ms/row"])

            def job():
                created = importjobs.create(path, path.name, "shop", user)
                importjobs.start(created, files.guess(importjobs.header_of(created)), dry_run=False, user=user)
                db.session.commit()
                importjobs.run(created.id)
                return db.session.get(type(created), created.id)
            done, wall, cpu = timed(job)
            out.append([f"import job, {rows:,}-row XLSX", f"{wall:.1f} s", f"{cpu:.1f} s",
                        f"{done.state}: created {done.created}, existing {done.existing}, failed {done.failed}; "
                        f"{1000 * wall / rows:.1f} ms/order"])
            assert mappings.remembered("shop", importjobs.header_of(done)) is not None
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out.append(["process peak RSS", f"{peak:.0f} MB", "", ""])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)
    print(table(out, ["what", "wall", "CPU", "result"]))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
