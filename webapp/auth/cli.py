"""`flask user create`."""
import click
from flask.cli import AppGroup

from webapp.auth import services
from webapp.core.commands import commit_or_fail

user_cli = AppGroup("user", help="Manage users.")


@user_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, help="admin, manager, sales, warehouse, finance, support")
@click.option("--password", required=True)
@click.option("--region", "regions", multiple=True, help="Region code; repeat for several.")
@click.option("--name", "display_name", default="", help="Display name.")
def create(username, role, password, regions, display_name):
    """Create a user."""
    user = commit_or_fail(lambda: services.create_user(username, role, password, regions, display_name),
                          (services.UserError,))
    click.echo(f"created user {user.username} ({user.role_code})")
