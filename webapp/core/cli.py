"""`flask demo seed` and `flask worker`."""
import signal
import time

import click
from flask import Flask
from flask.cli import AppGroup

from webapp.core import demo

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
@click.option("--orders", "order_count", default=2000, show_default=True)
def seed(order_count):
    """Create demo users, products and orders (idempotent)."""
    created = demo.seed(order_count)
    click.echo(f"demo data: {created['users']} users, {created['products']} products, "
               f"{created['orders']} orders created; demo password: {demo.DEMO_PASSWORD}")


@click.command("worker")
@click.option("--once", is_flag=True, help="Run one round and exit.")
def worker(once):
    """Run the background worker in the foreground."""
    from webapp.core import jobs
    stop = {"flag": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(flag=True))
    click.echo("worker started")
    while not stop["flag"]:
        jobs.run_pending()
        if once:
            break
        time.sleep(1)
    click.echo("worker stopped")


def register(app: Flask) -> None:
    """Add the demo and worker commands to the app's CLI."""
    app.cli.add_command(demo_cli)
    app.cli.add_command(worker)
