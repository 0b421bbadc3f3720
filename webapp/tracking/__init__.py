"""The customer tracking page: a signed, revocable link per order, no login."""


def init_app(app) -> None:
    """Register this domain's routes."""
    from webapp.tracking import link_views, models, views  # noqa: F401 (models: tables; link_views: routes on bp)

    app.register_blueprint(views.bp)
