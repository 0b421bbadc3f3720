"""Upgrading an empty database gives exactly the models: no autogenerate difference, on every backend."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from webapp.extensions import db


def _diff(conn, metadata: sa.MetaData) -> list:
    """Compare the migrated database with `metadata`: tables, columns, types, defaults, indexes."""
    ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
    return compare_metadata(ctx, metadata)


def test_migrations_match_models(app, backend):
    with app.app_context(), db.engine.connect() as conn:
        assert conn.dialect.name == backend  # the PostgreSQL run really inspects PostgreSQL
        diff = _diff(conn, db.metadata)
    assert diff == [], f"models and migrations differ on {backend}: {diff}"


def test_the_comparison_notices_a_column_wider_than_its_migration(app, backend):
    models = sa.MetaData()
    for table in db.metadata.tables.values():
        table.to_metadata(models)
    models.tables["role_permissions"].c.field.type = sa.String(80)
    with app.app_context(), db.engine.connect() as conn:
        diff = _diff(conn, models)
    changed = [d[0][:4] for d in diff if isinstance(d, list)]  # column changes come as lists
    assert ("modify_type", None, "role_permissions", "field") in changed, diff


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
