"""Team robots (WeCom, DingTalk, Feishu), carrier e-waybills and parcel tracking."""


def init_app(app) -> None:
    """Register this domain's tables, pages, callback, command, order-event handlers, delivery media and jobs."""
    from webapp.carriers import models, orderpage  # noqa: F401 (tables)
    from webapp.carriers.robots import alerts, cli, sender, views
    from webapp.carriers.tracking import models as tracking_models  # noqa: F401 (tables)
    from webapp.carriers.tracking import panel, sender as tracking_sender
    from webapp.carriers.tracking import services as tracking, tasks, views as tracking_views  # noqa: F401 (tasks)
    from webapp.carriers.waybills import models as waybill_models  # noqa: F401 (tables)
    from webapp.carriers.waybills import adapters as waybill_adapters, sender as waybill_sender
    from webapp.carriers.waybills import services as waybills, views as waybill_views
    from webapp.extensions import csrf
    from webapp.notify import delivery, overdue
    from webapp.orders import hooks
    from webapp.tracking import questions, services as customer_page

    app.register_blueprint(views.bp)
    app.register_blueprint(tracking_views.bp)
    app.register_blueprint(waybill_views.bp)
    app.register_blueprint(orderpage.bp)
    csrf.exempt(tracking_views.callback)  # signed by the aggregator; no cookie, no session
    cli.register(app)
    hooks.on_order_event(alerts.on_order_change)
    hooks.on_order_event(tracking.on_order_change)
    hooks.on_order_event(waybills.on_order_change)
    overdue.on_overdue(alerts.on_overdue)
    customer_page.add_panel(panel.customer_panel)
    questions.on_question(alerts.on_customer_question)
    delivery.register_medium(alerts.MEDIUM, sender.deliver)
    delivery.register_medium(tracking.MEDIUM, tracking_sender.deliver)
    delivery.register_medium(waybills.MEDIUM, waybill_sender.deliver)
    app.jinja_env.globals["waybills_on"] = lambda: waybill_adapters.active() is not None
