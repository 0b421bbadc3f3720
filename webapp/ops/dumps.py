"""Consistent database dumps and loads: SQLite's online backup API, pg_dump / pg_restore for PostgreSQL.

Both take the row counts and the Alembic revision from the same snapshot as the dump, so the
manifest describes exactly what the archive holds even while the app keeps writing.
"""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa


class DumpError(Exception):
    """A dump or load step failed (the message says which and why)."""


def _sqlite_facts(conn: sqlite3.Connection) -> tuple[dict, str | None]:
    """Return ({table: rows}, alembic revision) of an open SQLite database."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    revision = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return counts, revision


def sqlite_facts(path: Path) -> tuple[dict, str | None]:
    """Return ({table: rows}, alembic revision) of the SQLite file at path."""
    conn = sqlite3.connect(path)
    try:
        return _sqlite_facts(conn)
    finally:
        conn.close()


def dump_sqlite(source: str, dest: Path) -> tuple[dict, str | None]:
    """Copy the live SQLite database into dest in one read transaction; return its counts and revision.

    One backup step (pages=-1) copies every page under a single read lock, so concurrent writers
    (WAL mode) never make the copy restart or mix two states.
    """
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
        return _sqlite_facts(dst)
    finally:
        dst.close()
        src.close()


def load_sqlite(dump: Path, target: str) -> None:
    """Replace the content of the SQLite database at target with the dump (through the backup API)."""
    src = sqlite3.connect(dump)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst, pages=-1)
    finally:
        dst.close()
        src.close()


def pg_env(url: sa.URL) -> dict:
    """Return the environment that points libpq tools at url (the password never on a command line)."""
    env = dict(os.environ)
    for var, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database),
                       ("PGSSLMODE", url.query.get("sslmode"))):
        if value:
            env[var] = str(value)
    return env


def _tool(name: str) -> str:
    """Return the path of a PostgreSQL client tool, or say it is missing."""
    path = shutil.which(name)
    if not path:
        raise DumpError(f"{name} not found on PATH: install the PostgreSQL client tools (same major version "
                        "as the server)")
    return path


def _run(cmd: list[str], env: dict) -> None:
    """Run a tool; raise DumpError with its stderr when it fails."""
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise DumpError(f"{Path(cmd[0]).name} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")


def dump_postgres(engine: sa.Engine, dest: Path) -> tuple[dict, str | None]:
    """pg_dump (custom format) the database into dest from an exported snapshot; return counts and revision."""
    with engine.connect() as conn:
        conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            tables = sa.inspect(conn).get_table_names()
            counts = {t: conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar() for t in sorted(tables)}
            revision = (conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                        if "alembic_version" in tables else None)
            # pg_dump sees exactly this transaction's snapshot while it stays open.
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  f"--snapshot={snapshot}", f"--file={dest}"], pg_env(engine.url))
    return counts, revision


def load_postgres(url: sa.URL, dump: Path) -> None:
    """pg_restore the dump into the database at url in one transaction, replacing the objects it holds."""
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={url.database}", str(dump)], pg_env(url))


def create_pg_database(url: sa.URL, name: str) -> sa.URL:
    """Create an empty database `name` on url's server; return its URL."""
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    return url.set(database=name)


def drop_pg_database(url: sa.URL) -> None:
    """Drop the database at url (ending any connection still open to it)."""
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    finally:
        admin.dispose()
