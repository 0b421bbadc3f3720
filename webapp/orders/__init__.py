"""Orders, their lines, customers and the product catalogue."""


def init_app(app) -> None:
    """Register this domain's routes and commands."""
    from webapp.orders import models, views, cli  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
    cli.register(app)
