"""Approvals and risk: rules as data, multi-level chains, delegation, escalation, the risk queue."""


def init_app(app) -> None:
    """Register this domain's models, routes, commands, handlers and jobs (nothing yet)."""
