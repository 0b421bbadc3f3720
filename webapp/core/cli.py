"""`flask demo seed` and `flask worker`."""
import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

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
@click.option("--once", is_flag=True, help="Catch up once (deliver what is queued, run the sweeps) and exit.")
@click.option("--threads", default=2, show_default=True, help="Worker threads of this process.")
@with_appcontext
def worker(once, threads):
    """Run the background worker (queued deliveries and scheduled jobs) in the foreground."""
    import logging

    from flask import current_app

    from webapp.core import jobs
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = current_app._get_current_object()
    jobs.bind(app)
    kind, where = jobs.storage_spec(app)
    click.echo(f"worker started (queue: {kind} {where})", err=True)
    jobs.catch_up()  # whatever accumulated while no worker ran
    if not once:
        jobs.consumer(app, workers=threads).run()
    click.echo("worker stopped", err=True)


def register(app: Flask) -> None:
    """Add the demo and worker commands to the app's CLI."""
    app.cli.add_command(demo_cli)
    app.cli.add_command(worker)
