"""`flask channel add`, `flask import orders FILE` and `flask import jielong FILE`.

Both imports print one line per failure and, last, `created N, existing M, failed K`.
"""
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.auth.models import User
from webapp.core.commands import commit_or_fail
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.intake import channels, files, paste, services

channel_cli = AppGroup("channel", help="Sales channels orders come from.")
import_cli = AppGroup("import", help="Import orders from files and pasted 接龙 lists.")


@channel_cli.command("add")
@click.argument("code")
@click.option("--label", required=True, help="The name people see, e.g. 抖音小店")
@click.option("--kind", default="manual", type=click.Choice(["manual", "paste", "file", "push", "pull"]))
@click.option("--user", "username", help="push/pull: the user whose permissions apply to its orders.")
def add(code, label, kind, username):
    """Add a sales channel; a push channel's signing secret (whsec_…) is the last line printed."""
    user = _user(username) if username else None
    channel, secret = commit_or_fail(lambda: channels.add(code, label, kind, user), (channels.ChannelError,))
    click.echo(f"channel {channel.code}: {channel.label} ({channel.kind})")
    if secret:
        click.echo("push URL: /intake/push/" + channel.code + "; signing secret (shown once):")
        click.echo(secret)


def _user(username: str):
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.is_active_user:
        raise click.ClickException(f"no active user {username!r}")
    return user


def _context(channel: str, username: str):
    try:
        channels.require(channel)
    except channels.ChannelError as exc:
        raise click.ClickException(str(exc)) from exc
    return _user(username)


def _report(outcome: services.Outcome) -> None:
    for line, message, _raw in outcome.errors:
        click.echo(f"line {line}: {message}")
    click.echo(outcome.summary())


@import_cli.command("orders")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--channel", required=True)
@click.option("--user", "username", required=True, help="The user whose permissions apply.")
@click.option("--dry-run", is_flag=True, help="Check every row, create nothing.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False),
              help="Write failed rows here (default: FILE.errors.csv when any fail).")
def import_orders(path, channel, username, dry_run, errors_path):
    """Import orders from a CSV or XLSX file with a header row."""
    user, started = _context(channel, username), utcnow()
    try:
        header, _columns, rows = files.read(path)
        outcome = services.apply(files.drafts(rows), channel, user, dry_run=dry_run)
    except files.FileRefused as exc:
        db.session.rollback()
        failed = services.Outcome(failed=1, errors=[(0, str(exc), "")])
        services.log_run(failed, channel=channel, source="file", user=user, filename=Path(path).name,
                         dry_run=dry_run, started=started)
        raise click.ClickException(str(exc)) from exc
    db.session.rollback()  # a dry run's savepoints leave nothing; the log is its own transaction
    services.log_run(outcome, channel=channel, source="file", user=user, filename=Path(path).name,
                     dry_run=dry_run, started=started)
    if outcome.errors:
        target = errors_path or f"{path}.errors.csv"
        files.write_errors(target, header, outcome)
        click.echo(f"failed rows written to {target}")
    _report(outcome)


@import_cli.command("jielong")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--channel", default="wechat_group", show_default=True)
@click.option("--user", "username", required=True, help="The user whose permissions apply.")
@click.option("--dry-run", is_flag=True, help="Parse and check every line, create nothing.")
def import_jielong(path, channel, username, dry_run):
    """Import a pasted 接龙 list (a UTF-8 text file)."""
    user, started = _context(channel, username), utcnow()
    text = Path(path).read_bytes().decode("utf-8-sig", errors="replace")
    parsed = paste.parse(text)
    if not parsed.entries:
        raise click.ClickException("no numbered order lines (like `1. 昵称 内容`) in this text")
    outcome = services.apply(paste.drafts(parsed), channel, user, dry_run=dry_run)
    db.session.rollback()
    services.log_run(outcome, channel=channel, source="jielong", user=user, filename=Path(path).name,
                     dry_run=dry_run, started=started)
    _report(outcome)


def register(app: Flask) -> None:
    """Add the channel and import commands to the app's CLI."""
    from webapp.intake import pull

    pull.register_commands(channel_cli)  # channel pull, channel platform
    app.cli.add_command(channel_cli)
    app.cli.add_command(import_cli)
