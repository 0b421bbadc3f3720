"""The daily report: figures per state and region, charts, CSV and XLSX exports."""


def init_app(app) -> None:
    """Register this domain's routes, the nightly report job and who may see reports."""
    from webapp.reports import models, services, tasks, views  # noqa: F401 (models: tables; tasks: the nightly run)

    app.register_blueprint(views.bp)
    app.jinja_env.globals["may_view_reports"] = services.may_view
