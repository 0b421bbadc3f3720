"""`flask demo seed`."""
import click
from flask.cli import AppGroup

from webapp.demo import seed as demo

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
@click.option("--orders", "order_count", default=2000, show_default=True)
def seed(order_count):
    """Create demo users, products and orders (idempotent)."""
    created = demo.seed(order_count)
    click.echo(f"demo data: {created['users']} users, {created['products']} products, "
               f"{created['orders']} orders created; demo password: {demo.DEMO_PASSWORD}")
