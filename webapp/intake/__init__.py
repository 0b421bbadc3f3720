"""Channel intake: channels as data, 接龙 paste, CSV/XLSX import, one write path (via=intake)."""


def init_app(app) -> None:
    """Register this domain's tables, the channel check order validation uses, commands and pages."""
    from webapp.extensions import csrf
    from webapp.intake import channels, cli, models, pull, push, views, views_upload  # noqa: F401 (tables, routes)
    from webapp.intake import admin, importjobs  # noqa: F401 (the channels screen, the import job's tasks)
    from webapp.orders import queries, validate

    if channels.accepts not in validate.CHANNEL_CHECKS:
        validate.CHANNEL_CHECKS.append(channels.accepts)
    if channels.added_labels not in queries.CHANNEL_SOURCES:
        queries.CHANNEL_SOURCES.append(channels.added_labels)  # the board's channel filter lists them too
    cli.register(app)
    pull.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(push.bp)
    csrf.exempt(push.bp)  # signed by the channel's secret; no cookie, no session
