"""`flask worker`: run queued deliveries and scheduled jobs in the foreground."""
import click
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--once", is_flag=True, help="Catch up once (deliver what is queued, run the sweeps) and exit.")
@click.option("--threads", default=2, show_default=True, help="Worker threads of this process.")
@with_appcontext
def worker(once, threads):
    """Run the background worker (queued deliveries and scheduled jobs) in the foreground."""
    import logging

    from flask import current_app

    from webapp import jobs
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = current_app._get_current_object()
    jobs.bind(app)
    kind, where = jobs.storage_spec(app)
    click.echo(f"worker started (queue: {kind} {where})", err=True)
    jobs.catch_up()  # whatever accumulated while no worker ran
    if not once:
        jobs.consumer(app, workers=threads).run()
    click.echo("worker stopped", err=True)
