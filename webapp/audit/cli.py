"""`flask audit verify` and `flask audit export [--order ORDER_NO]`."""
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from webapp.audit import services
from webapp.audit.models import AuditEntry
from webapp.extensions import db

audit_cli = AppGroup("audit", help="Check and export the audit log.")


@audit_cli.command("verify")
def verify():
    """Check the hash chain; exit 1 naming the first broken entry."""
    broken = services.verify()
    if broken is not None:
        click.echo(f"audit chain BROKEN at entry #{broken.id} ({broken.at.isoformat()} {broken.action} "
                   f"by {broken.actor}{' on ' + broken.order_no if broken.order_no else ''}): "
                   "its content or link does not match the chain", err=True)
        sys.exit(1)
    count = db.session.scalar(select(func.count()).select_from(AuditEntry))
    click.echo(f"audit chain OK: {count} entries")


@audit_cli.command("export")
@click.option("--order", "order_no", default=None, help="Only this order's entries.")
def export(order_no):
    """Print the audit log as JSON lines (at, actor, via, order_no, field, old, new, …)."""
    for line in services.export_lines(order_no):
        click.echo(line)
