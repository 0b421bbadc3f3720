"""Upgrading an empty database gives exactly the models: no autogenerate difference."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from webapp.extensions import db


def test_migrations_match_models(app, backend):
    with app.app_context(), db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, db.metadata)
    assert diff == [], f"models and migrations differ on {backend}: {diff}"


def test_reference_data_present(app):
    from webapp.auth.models import Region, Role
    with app.app_context():
        assert {r.code for r in db.session.query(Role)} >= {
            "admin", "manager", "sales", "warehouse", "finance", "support"}
        assert {r.code for r in db.session.query(Region)} == {
            "east", "north", "south", "central", "southwest", "northwest", "northeast"}


def test_sqlite_is_tuned_for_concurrency(app, backend):
    if backend != "sqlite":
        return
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
