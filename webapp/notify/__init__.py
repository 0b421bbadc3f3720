"""Notifications: the transactional outbox, web push, customer SMS and the 48-hour alarm."""


def init_app(app) -> None:
    """Register this domain's routes, its reaction to order changes and its scheduled work."""
    from webapp.notify import models, services, tasks, views  # noqa: F401 (models: tables; tasks: the queue's work)
    from webapp.orders.hooks import on_order_event

    app.register_blueprint(views.bp)
    on_order_event(services.on_order_change)
