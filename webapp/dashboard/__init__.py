"""The managers' dashboard: KPIs from recorded facts, kept per day by the worker; the board's exports."""


def init_app(app) -> None:
    """Register the dashboard's table, routes and jobs, and who sees its link."""
    from webapp.dashboard import models, report_kpis, services, tasks, views  # noqa: F401 (models: tables; tasks: jobs)
    from webapp.reports.services import use_kpis

    use_kpis(report_kpis.build)  # the daily report shows the same recorded facts

    app.register_blueprint(views.bp)
    app.jinja_env.globals["may_view_dashboard"] = services.may_view
    app.jinja_env.globals["board_overdue_count"] = services.board_overdue_count
    app.jinja_env.filters.update(dash=services.dash, yuan_or_dash=services.yuan_or_dash)
