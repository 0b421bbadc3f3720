"""`flask outbox list|release|drop`: look at the messages a restore held, send them or drop them (audited)."""
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.extensions import db
from webapp.notify.models import OutboxMessage
from webapp.ops import held
from webapp.ops.restored import HELD

outbox_cli = AppGroup("outbox", help="Held outbox messages (after a restore): list, release or drop them.")


def _which(ids: tuple[int, ...], everything: bool):
    """Return the ids named, or None for --all; exit 2 when the choice is unclear."""
    if bool(ids) == everything:
        click.echo("error: name message ids, or pass --all (not both)", err=True)
        sys.exit(2)
    return None if everything else ids


def _run(change, ids, everything, verb: str) -> None:
    try:
        done = change(_which(ids, everything))
    except held.NotHeld as exc:
        db.session.rollback()
        click.echo(f"error: not held (or no such message): {exc}; nothing changed", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"{verb} {len(done)} message(s)")


@outbox_cli.command("list")
@click.option("--all", "everything", is_flag=True, help="Every unsent message, not only the held ones.")
def list_held(everything):
    """Print the held messages: id, status, medium, topic, recipient, order, created, why held."""
    wanted = (HELD, "pending", "sending") if everything else (HELD,)
    rows = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.status.in_(wanted))
                                   .order_by(OutboxMessage.id)))
    for m in rows:
        to = m.phone or (f"user {m.user_id}" if m.user_id else "-")
        click.echo(f"{m.id}\t{m.status}\t{m.medium}\t{m.topic}\t{to}\torder {m.order_id or '-'}\t"
                   f"{m.created_at.isoformat(timespec='seconds')}\t{m.last_error[:80]}")
    click.echo(f"{len(rows)} message(s)")


@outbox_cli.command("release")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "everything", is_flag=True, help="Release every held message.")
def release(ids, everything):
    """Send held messages after all (they go out with the next worker run)."""
    _run(held.release, ids, everything, "released")


@outbox_cli.command("drop")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "everything", is_flag=True, help="Drop every held message.")
def drop(ids, everything):
    """Never send held messages (kept as skipped, for the record)."""
    _run(held.drop, ids, everything, "dropped")
