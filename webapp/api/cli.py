"""`flask token create USERNAME [--name NAME] [--expires-days N]`: the token is the last line printed."""
import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.api import tokens
from webapp.auth.models import User
from webapp.extensions import db

token_cli = AppGroup("token", help="Manage API tokens.")


@token_cli.command("create")
@click.argument("username")
@click.option("--name", default="", help="What the token is for (shown in the admin console).")
@click.option("--expires-days", type=int, default=None, help="Days until it expires (default: never).")
def create(username, name, expires_days):
    """Print a new API token for a user (shown once, stored hashed)."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"unknown user {username!r}")
    try:
        token, raw = tokens.create_token(user, name, expires_days, actor=None, via="system")
        db.session.commit()
    except tokens.TokenError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    expiry = f", expires {token.expires_at:%Y-%m-%d}" if token.expires_at else ""
    click.echo(f"token {token.name!r} for {user.username} (prefix {token.prefix}{expiry}); shown once:")
    click.echo(raw)


def register(app: Flask) -> None:
    """Add the token commands to the app's CLI."""
    app.cli.add_command(token_cli)
