"""Create, migrate and empty test databases."""
import os

import sqlalchemy as sa
from flask_migrate import upgrade

from webapp import create_app
from webapp.extensions import db

REFERENCE_TABLES = {"roles", "regions", "alembic_version"}


def migrate(url: str) -> None:
    """Apply every Alembic revision to the database at url."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()  # the last connection to close checkpoints SQLite's WAL into the file


def worker_database(base_url: str, worker_id: str) -> str:
    """Drop and create a database for this xdist worker; return its URL."""
    url = sa.make_url(base_url)
    name = f"{url.database}_{worker_id}_{os.getpid()}"  # unique per run: parallel runs never collide
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,))
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


_EMPTYING: dict = {}  # url -> (engine, the statement that empties it): built once per database and process


def truncate(url: str) -> None:
    """Empty every table but the reference data the migrations insert, and restart every sequence.

    DELETE with triggers and foreign keys switched off for the session (session_replication_role) is
    ~20x faster than one TRUNCATE of ~80 tables, which rewrites every table's files on each test.
    """
    if url not in _EMPTYING:
        engine = sa.create_engine(url, pool_size=1, pool_pre_ping=True)
        with engine.connect() as conn:
            tables = [t for t in sa.inspect(conn).get_table_names() if t not in REFERENCE_TABLES]
            owned = conn.exec_driver_sql(  # the sequences TRUNCATE … RESTART IDENTITY would restart: the tables' own
                "SELECT s.oid::regclass::text, t.relname FROM pg_class s"
                " JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')"
                " JOIN pg_class t ON t.oid = d.refobjid WHERE s.relkind = 'S'").all()
            sequences = sorted({seq for seq, table in owned if table in tables})
        statements = ["SET LOCAL session_replication_role = replica"]
        statements += [f'DELETE FROM "{t}"' for t in tables]
        statements.append("DELETE FROM roles WHERE NOT builtin")
        statements += [f"ALTER SEQUENCE {s} RESTART" for s in sequences]
        _EMPTYING[url] = (engine, "; ".join(statements))
    engine, statement = _EMPTYING[url]
    with engine.begin() as conn:
        conn.exec_driver_sql(statement)


def drop_database(url: str) -> None:
    """Drop a per-worker database at the end of the run."""
    if url in _EMPTYING:
        _EMPTYING.pop(url)[0].dispose()
    url = sa.make_url(url)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    admin.dispose()
