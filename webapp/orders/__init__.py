"""Orders, their lines, customers and the product catalogue."""


def init_app(app) -> None:
    """Register this domain's routes and commands."""
    from webapp.orders import cli, models, phones, views, views_history  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.product_cli)
    app.cli.add_command(cli.orders_cli)
    app.jinja_env.globals.update(mask_phone=phones.mask_phone, order_history=views_history.order_history)
