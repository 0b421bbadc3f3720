"""Shared plumbing: database tuning, page-or-partial rendering, errors, time and money helpers."""


def init_app(app) -> None:
    """Register compressed bytes and hashed static files, the health check, language switch, error pages,
    template helpers, headers and the trusted proxy hops."""
    from webapp.core import appsecrets, assets, conditional, errors, i18n, origin, routing, security, sessions, views  # noqa: F401 (appsecrets: table)

    routing.init_app(app)  # before any blueprint: their <int:…> rules take the bounded converter
    assets.init_app(app)  # first: its compression runs after every other after_request
    conditional.init_app(app)  # next: ETag / 304 on the uncompressed page, just before compression
    origin.init_app(app)  # after assets: the proxy fix wraps the whole WSGI app, static files too
    sessions.init_app(app)
    app.register_blueprint(views.bp)
    errors.register(app)
    i18n.register(app)
    security.register(app)
