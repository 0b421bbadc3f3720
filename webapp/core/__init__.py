"""Shared plumbing: database tuning, page-or-partial rendering, errors, time and money helpers."""


def init_app(app) -> None:
    """Register compressed bytes and hashed static files, the health check, language switch, error pages,
    template helpers and headers."""
    from webapp.core import assets, errors, i18n, security, sessions, views

    assets.init_app(app)  # first: its compression runs after every other after_request
    sessions.init_app(app)
    app.register_blueprint(views.bp)
    errors.register(app)
    i18n.register(app)
    security.register(app)
