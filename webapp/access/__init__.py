"""Field-level permissions and row scopes: the policy every view, serializer and write path reads."""


def init_app(app) -> None:
    """Register this domain's routes and commands."""
    from webapp.access import cli, labels, models, policy, services, views  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.access_cli)
    app.jinja_env.globals.update(my_policy=policy.current_policy, field_label=labels.field_label,
                                 level_label=labels.level_label, scope_label=labels.scope_label,
                                 action_label=labels.action_label, home_label=labels.home_label,
                                 matrix_levels=services.allowed_levels)
