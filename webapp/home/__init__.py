"""Home screens: what each role sees first."""


def init_app(app) -> None:
    """Register the home screen route."""
    from webapp.home import views

    app.register_blueprint(views.bp)
