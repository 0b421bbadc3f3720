"""Notifications: the transactional outbox, web push, customer SMS and the 48-hour alarm."""


def init_app(app) -> None:
    """Register this domain's routes."""
    from webapp.notify import models, views  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
