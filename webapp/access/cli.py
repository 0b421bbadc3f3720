"""`flask access show [ROLE]` prints the permission matrix; `flask access set ROLE FIELD LEVEL` changes a cell."""
import click
from flask import Flask
from flask.cli import AppGroup

from webapp.access import services
from webapp.access.defaults import ACTIONS, MATRIX_FIELDS
from webapp.extensions import db

access_cli = AppGroup("access", help="Show and change the permission matrix.")
SHORT = {"hidden": "-", "read": "r", "write": "W"}


@access_cli.command("show")
@click.argument("role", required=False)
def show(role):
    """Print role × field levels (- hidden, r read, W write) and each role's row scope."""
    grid = services.matrix()
    roles = [role] if role else list(grid)
    if role and role not in grid:
        raise click.ClickException(f"unknown role {role!r} (known: {', '.join(grid)})")
    click.echo(f"{'field':<16}" + "".join(f"{r:>11}" for r in roles))
    for name in MATRIX_FIELDS + ACTIONS:
        click.echo(f"{name:<16}" + "".join(f"{SHORT[grid[r][0].get(name, 'hidden')]:>11}" for r in roles))
    click.echo(f"{'(scope)':<16}" + "".join(f"{grid[r][1]:>11}" for r in roles))


@access_cli.command("set")
@click.argument("role")
@click.argument("field")
@click.argument("level", type=click.Choice(["hidden", "read", "write"]))
def set_cell(role, field, level):
    """Set one matrix cell (recorded in the audit log as done by the system)."""
    try:
        services.set_level(role, field, level, actor=None, via="system")
        db.session.commit()
    except services.AccessError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{role}.{field} = {level}")


def register(app: Flask) -> None:
    """Add the access commands to the app's CLI."""
    app.cli.add_command(access_cli)
