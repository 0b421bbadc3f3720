"""Offline PWA: manifest, service worker, the 24-hour copy, idempotent replay, paper fallback."""


def init_app(app) -> None:
    """Register this domain's routes and scheduled jobs."""
    from webapp.offline import models, tasks, views  # noqa: F401 (models: tables; tasks: scheduled pruning)

    app.register_blueprint(views.bp)
