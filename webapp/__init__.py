"""OrderHub: the app factory."""
import importlib
from pathlib import Path

from flask import Flask

from webapp.config import build_config
from webapp.extensions import babel, csrf, db, htmx, login_manager, migrate

# Blueprint packages, in registration order; each exposes `bp` in views.py.
DOMAINS = ("core", "auth", "orders", "access", "audit", "warehouse", "offline",
           "approvals", "notify", "intake", "api", "reports", "tracking")
PACKAGE = Path(__file__).resolve().parent


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure an OrderHub app."""
    app = Flask(__name__, static_folder="../static", template_folder="../templates",
                instance_relative_config=True)
    app.config.update(build_config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(
        str(p) for p in sorted(PACKAGE.glob("*/translations")))

    _init_extensions(app)
    _import_models()
    for name in DOMAINS:
        module = _optional(f"webapp.{name}.views")
        if module is not None:
            app.register_blueprint(module.bp)
        cli = _optional(f"webapp.{name}.cli")
        if cli is not None:
            cli.register(app)
    from webapp.core import errors, i18n, security
    errors.register(app)
    i18n.register(app)
    security.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from webapp.core.db import tune_sqlite

    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(PACKAGE.parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    from webapp.core.i18n import select_locale, select_timezone
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)


def _import_models() -> None:
    """Import every domain's models so metadata (and Alembic) sees all tables."""
    for name in DOMAINS:
        _optional(f"webapp.{name}.models")


def _optional(module: str):
    """Import a module of a domain package if that domain has it."""
    path = PACKAGE.joinpath(*module.split(".")[1:]).with_suffix(".py")
    return importlib.import_module(module) if path.exists() else None
