"""`flask product create`."""
import click
from flask import Flask
from flask.cli import AppGroup

from webapp.extensions import db
from webapp.orders import services

product_cli = AppGroup("product", help="Manage the product catalogue.")


@product_cli.command("create")
@click.argument("sku")
@click.option("--name", required=True)
@click.option("--price", required=True, help="Unit price in CNY, e.g. 129.00")
@click.option("--cost", required=True, help="Unit cost in CNY, e.g. 55.30")
def create(sku, name, price, cost):
    """Add a product to the catalogue."""
    try:
        product = services.create_product(sku, name, price, cost)
        db.session.commit()
    except services.ProductError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created product {product.sku} {product.name} ¥{product.unit_price}")


def register(app: Flask) -> None:
    """Add the product commands to the app's CLI."""
    app.cli.add_command(product_cli)
