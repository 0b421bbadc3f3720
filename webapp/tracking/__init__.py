"""The customer tracking page: a signed, revocable link per order, no login."""


def init_app(app) -> None:
    """Register this domain's routes."""
    from webapp.tracking import models, views  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
