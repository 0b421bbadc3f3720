"""`flask access show [ROLE]` prints the permission matrix; `flask access set ROLE FIELD LEVEL` changes a cell."""
import click
from flask.cli import AppGroup

from webapp.access import services
from webapp.access.defaults import MATRIX_KEYS
from webapp.core.commands import commit_or_fail

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
    click.echo(f"{'field':<34}" + "".join(f"{r:>11}" for r in roles))
    for name in MATRIX_KEYS:
        click.echo(f"{name:<34}" + "".join(f"{SHORT[grid[r][0].get(name, 'hidden')]:>11}" for r in roles))
    click.echo(f"{'(scope)':<34}" + "".join(f"{grid[r][1]:>11}" for r in roles))


@access_cli.command("set")
@click.argument("role")
@click.argument("field")
@click.argument("level", type=click.Choice(["hidden", "read", "write"]))
def set_cell(role, field, level):
    """Set one matrix cell (recorded in the audit log as done by the system)."""
    commit_or_fail(lambda: services.set_level(role, field, level, actor=None, via="system"),
                   (services.AccessError,))
    click.echo(f"{role}.{field} = {level}")
