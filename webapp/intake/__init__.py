"""Channel intake: 接龙 paste, CSV/XLSX import, shop push and marketplace pull, one write path."""


def init_app(app) -> None:
    """Register this domain's models, routes, commands, handlers and jobs (nothing yet)."""
