"""`flask user create`."""
import click
from flask import Flask
from flask.cli import AppGroup

from webapp.auth import services
from webapp.extensions import db

user_cli = AppGroup("user", help="Manage users.")


@user_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, help="admin, manager, sales, warehouse, finance, support")
@click.option("--password", required=True)
@click.option("--region", "regions", multiple=True, help="Region code; repeat for several.")
@click.option("--name", "display_name", default="", help="Display name.")
def create(username, role, password, regions, display_name):
    """Create a user."""
    try:
        user = services.create_user(username, role, password, regions, display_name)
        db.session.commit()
    except services.UserError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created user {user.username} ({user.role_code})")


def register(app: Flask) -> None:
    """Add the user commands to the app's CLI."""
    app.cli.add_command(user_cli)
