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


def truncate(url: str) -> None:
    """Empty every table but the reference data the migrations insert."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        tables = [t for t in sa.inspect(conn).get_table_names() if t not in REFERENCE_TABLES]
        if tables:
            conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        conn.exec_driver_sql("DELETE FROM roles WHERE NOT builtin")
    engine.dispose()


def drop_database(url: str) -> None:
    """Drop a per-worker database at the end of the run."""
    url = sa.make_url(url)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    admin.dispose()
