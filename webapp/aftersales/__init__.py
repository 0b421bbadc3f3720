"""After-sales cases (returns, exchanges, refunds) and the customer inquiry log."""


def init_app(app) -> None:
    """Register this domain's models, routes, commands, handlers and jobs (nothing yet)."""
