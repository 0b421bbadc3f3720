"""`flask webhook create URL --events EVENT[,EVENT…] --user USERNAME`: register an endpoint, print its secret last."""
import click
from flask import Flask
from flask.cli import AppGroup

from webapp.extensions import db
from webapp.webhooks import services

webhook_cli = AppGroup("webhook", help="Register outgoing webhooks.")


@webhook_cli.command("create")
@click.argument("url")
@click.option("--events", "event_names", required=True, help="Comma-separated, e.g. order.created,order.shipped")
@click.option("--user", "username", required=True, help="The user whose permissions shape the payloads.")
def create(url, event_names, username):
    """Register an endpoint; the signing secret (whsec_…) is the last line printed."""
    try:
        endpoint, secret = services.create(url, event_names.split(","), username, actor=None, via="system")
    except services.WebhookError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"webhook {endpoint.id}: {endpoint.url}")
    click.echo(f"events: {', '.join(endpoint.event_list)}; payloads as user {endpoint.user.username}")
    click.echo("signing secret (shown once):")
    click.echo(secret)


def register(app: Flask) -> None:
    """Add the webhook commands to the app's CLI."""
    app.cli.add_command(webhook_cli)
