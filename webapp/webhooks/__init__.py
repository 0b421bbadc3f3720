"""Outgoing webhooks: signed order events (Standard Webhooks) delivered through the notify outbox."""


def init_app(app) -> None:
    """Register this domain's tables, admin pages, command, order-event handlers and delivery medium."""
    from webapp.notify import delivery, overdue
    from webapp.orders import hooks
    from webapp.webhooks import cli, events, models, sender, views  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
    cli.register(app)
    hooks.on_order_event(events.on_order_change)
    overdue.on_overdue(events.on_overdue)
    delivery.register_medium("webhook", sender.deliver)
