"""`flask product create` and `flask orders recount`."""
import click
from flask.cli import AppGroup

from webapp.core.commands import commit_or_fail
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
    product = commit_or_fail(lambda: services.create_product(sku, name, price, cost), (services.ProductError,))
    click.echo(f"created product {product.sku} {product.name} ¥{product.unit_price}")


orders_cli = AppGroup("orders", help="Order maintenance.")


@orders_cli.command("recount")
def recount():
    """Rebuild the board's per-state counters from the orders (after a bulk load)."""
    from webapp.orders import counts
    rows = counts.rebuild()
    db.session.commit()
    click.echo(f"order counts rebuilt: {rows} counter rows")
