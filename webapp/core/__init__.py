"""Shared plumbing: database tuning, page-or-partial rendering, errors, time and money helpers."""


def init_app(app) -> None:
    """Register the health check, language switch, error pages, template helpers and headers."""
    from webapp.core import errors, i18n, security, views

    app.register_blueprint(views.bp)
    errors.register(app)
    i18n.register(app)
    security.register(app)
