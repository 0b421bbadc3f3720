"""OrderHub: the app factory."""
from pathlib import Path

from flask import Flask

from webapp import (access, aftersales, api, approvals, audit, auth, carriers, core, dashboard, demo, home, intake,
                    jobs, notify, offline, ops, orders, reports, tracking, warehouse, webhooks)
from webapp.config import build_config
from webapp.extensions import babel, csrf, db, htmx, login_manager, migrate

# Every domain, in registration order; each package's init_app(app) registers its models, routes,
# commands, event handlers and scheduled jobs. Nothing is found by name or imported optionally.
DOMAINS = (
    core, auth, orders, access, audit, home, warehouse, offline, notify, reports, tracking, api, webhooks,
    approvals,    # issue 13
    carriers,     # issue 14
    dashboard,    # issue 15
    aftersales,   # issue 15
    intake,       # issue 12
    ops,          # issue 17
    jobs, demo,
)
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
    for domain in DOMAINS:
        domain.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from webapp.core.db import tune_sqlite
    from webapp.core.i18n import select_locale, select_timezone

    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(PACKAGE.parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
