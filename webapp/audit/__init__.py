"""The append-only, hash-chained audit log."""


def init_app(app) -> None:
    """Register this domain's routes and commands."""
    from webapp.audit import models, views, cli  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
    cli.register(app)
