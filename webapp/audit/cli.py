"""`flask audit verify`, `flask audit checkpoint` and `flask audit export [--order ORDER_NO]`."""
import sys

import click
from flask.cli import AppGroup

from webapp.audit import anchors, chain, services
from webapp.audit.verify import check
from webapp.extensions import db

audit_cli = AppGroup("audit", help="Check, anchor and export the audit log.")


def _where(entry) -> str:
    """Describe an entry for a finding: id, time, action, actor and order."""
    order = f" on {entry.order_no}" if entry.order_no else ""
    return f"entry #{entry.id} ({entry.at.isoformat()} {entry.action} by {entry.actor}{order})"


@audit_cli.command("verify")
def verify():
    """Check the chain against the checkpoints; exit 1 naming a cut or the first broken entry.

    When it passes, a fresh checkpoint is written, so any later cut before it is caught too.
    """
    report = check()
    finding = report.finding
    db.session.rollback()  # end the read before anything else
    for marker in report.restores:
        click.echo(restore_line(marker))
    if finding is not None:
        where = f" at {_where(finding.entry)}" if finding.entry is not None else ""
        click.echo(f"audit chain BROKEN ({finding.kind}){where}: {finding.reason}", err=True)
        sys.exit(1)
    checkpoint = anchors.write_checkpoint()
    db.session.rollback()
    click.echo(f"audit chain OK: {report.count} entries, checked against {len(report.checkpoints)} "
               f"checkpoint(s); key from {chain.key_source()}")
    click.echo(f"new checkpoint: entry #{checkpoint['entry_id']}, {checkpoint['count']} entries, "
               f"head {checkpoint['head'][:16]}…")


def restore_line(marker: dict) -> str:
    """Describe an acknowledged restore: which backup, when, and the entries it lost."""
    backup, first = marker.get("backup") or {}, marker["restored_id"] + 1
    lost = (f"entries #{first}–#{marker['lost_to']} ({marker['lost_count'] - marker['restored_count']}) are gone"
            if marker["lost_to"] >= first else "no entries were lost")
    return (f"restore acknowledged: at {marker['at']} the backup {backup.get('file', '?')} made "
            f"{backup.get('created_at', '?')} was restored; the log was put back to entry #{marker['restored_id']}, "
            f"{lost}; the restore is entry #{marker['entry_id']}")


@audit_cli.command("checkpoint")
def checkpoint():
    """Write a signed checkpoint of the chain's head to every anchor store now."""
    written = anchors.write_checkpoint()
    db.session.rollback()
    click.echo(f"checkpoint: entry #{written['entry_id']}, {written['count']} entries, head {written['head']}")


@audit_cli.command("export")
@click.option("--order", "order_no", default=None, help="Only this order's entries.")
def export(order_no):
    """Print the audit log as JSON lines (at, actor, via, order_no, field, old, new, …)."""
    for line in services.export_lines(order_no):
        click.echo(line)
