"""The daily report: figures per state and region, charts, CSV and XLSX exports."""


def init_app(app) -> None:
    """Register this domain's routes."""
    from webapp.reports import models, views  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
