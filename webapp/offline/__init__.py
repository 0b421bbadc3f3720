"""Offline PWA: manifest, service worker, the 24-hour copy, idempotent replay, paper fallback."""


def init_app(app) -> None:
    """Register this domain's routes."""
    from webapp.offline import models, views  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
