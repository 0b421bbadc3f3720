"""Users, roles, regions, login and logout."""


def init_app(app) -> None:
    """Register this domain's routes and commands."""
    from webapp.auth import models, views, cli  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.user_cli)
