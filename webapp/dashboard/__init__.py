"""The managers' dashboard: KPIs from recorded facts, kept per day by the worker."""


def init_app(app) -> None:
    """Register this domain's models, routes, commands, handlers and jobs (nothing yet)."""
