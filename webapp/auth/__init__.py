"""Users, roles, regions, login and logout, server-side sessions and login throttling."""


def init_app(app) -> None:
    """Register this domain's routes, commands and the admin console's guessing-alert helper."""
    from webapp.auth import models, views, session_views, cli, tasks, throttle  # noqa: F401 (models: tables; tasks: jobs)

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.user_cli)
    app.jinja_env.globals["login_alerts"] = throttle.recent_alerts
