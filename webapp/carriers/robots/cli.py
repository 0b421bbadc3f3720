"""`flask robot add KIND URL [--secret SECRET] --events EVENT[,EVENT…] [--region REGION]…`: add a group robot."""
import click
from flask import Flask
from flask.cli import AppGroup

from webapp.extensions import db

from webapp.carriers.robots import services

robot_cli = AppGroup("robot", help="Team group robots (WeCom, DingTalk, Feishu).")


@robot_cli.command("add")
@click.argument("kind")
@click.argument("url")
@click.option("--secret", default=None, help="Signing secret (DingTalk SEC…, Feishu).")
@click.option("--events", "event_names", required=True, help="Comma-separated, e.g. order.created,order.overdue")
@click.option("--region", "regions", multiple=True, help="Only orders of this region (repeat); none: all regions.")
@click.option("--audience", default=services.DEFAULT_AUDIENCE, show_default=True,
              help="Role whose permissions decide what messages show (amounts, customer).")
@click.option("--name", default="", help="A label for the admin page, e.g. 华东仓库群.")
def add(kind, url, secret, event_names, regions, audience, name):
    """Register a robot; print its id, events and regions."""
    try:
        robot = services.add(kind, url, event_names.split(","), regions, secret=secret, name=name,
                             audience_role=audience, actor=None, via="system")
    except services.RobotError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"robot {robot.id}: {robot.kind} {robot.url_hint}")
    click.echo(f"events: {', '.join(robot.event_list)}; regions: {', '.join(robot.region_list) or 'all'}; "
               f"audience: {robot.audience_role}")


def register(app: Flask) -> None:
    """Add the robot commands to the app's CLI."""
    app.cli.add_command(robot_cli)
