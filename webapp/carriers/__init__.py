"""Team robots (WeCom, DingTalk, Feishu), carrier e-waybills and parcel tracking."""


def init_app(app) -> None:
    """Register this domain's models, routes, commands, handlers and jobs (nothing yet)."""
