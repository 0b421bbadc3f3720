"""REST API v1 under /api/v1: Bearer tokens, orders, catalogue, customers, OpenAPI document and docs."""


def init_app(app) -> None:
    """Register this domain's tables, routes, token authentication, admin pages and commands."""
    from webapp.api import admin_views, auth, cli, docs, models, views, views_catalogue  # noqa: F401 (models: tables)
    from webapp.api.spec import make_api
    from webapp.extensions import csrf

    api = make_api(app)
    csrf.exempt(views.bp)  # Bearer requests carry no cookie to forge; cookies never authenticate here
    api.register_blueprint(views.bp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(admin_views.bp)
    # First of all before-request hooks: the token's user must be known before the Idempotency-Key hook
    # (webapp.offline) claims a key, and a request without a valid token must stop before anything runs.
    app.before_request_funcs.setdefault(None, []).insert(0, auth.authenticate)
    app.teardown_request(auth.unbind)
    cli.register(app)
