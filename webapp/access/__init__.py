"""Field-level permissions and row scopes: the policy every view, serializer and write path reads."""


def init_app(app) -> None:
    """Register this domain's routes and commands."""
    from webapp.access import models, views, cli  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
    cli.register(app)
