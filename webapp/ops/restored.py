"""After `backup restore`: hold the outbox messages the backup brought back, and acknowledge the restore.

A restore puts back messages that were pending (or being sent) when the backup was made; most of them
went out after the backup, so sending them again would repeat SMS, pushes and webhooks. They are held
(status `held`) until an operator releases or drops them (`flask outbox release|drop`).

The audit log loses the entries written after the backup. The restore writes an audit entry saying so
and a signed restore marker to the anchor stores, so `audit verify` reports the restore (which backup,
the lost range) instead of an unexplained cut, while still catching any cut after it.
"""
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import update

from webapp.audit import anchors
from webapp.audit import services as audit
from webapp.extensions import db
from webapp.notify.models import OutboxMessage

HELD = "held"
UNSENT = ("pending", "sending")


def known_head() -> dict:
    """Return the newest audit head known before a restore: the live database's or a checkpoint's."""
    best = {"entry_id": 0, "count": 0}
    try:
        live = anchors.head()
        best = {"entry_id": live["entry_id"], "count": live["count"]}
    except sa.exc.SQLAlchemyError:  # no database yet (a fresh host): the anchors still tell
        pass
    finally:
        db.session.rollback()
    try:
        checkpoints, _problems = anchors.read_checkpoints()
    except sa.exc.SQLAlchemyError:
        checkpoints = []
    finally:
        db.session.rollback()
    for checkpoint in checkpoints:
        if checkpoint["entry_id"] > best["entry_id"]:
            best = {"entry_id": checkpoint["entry_id"], "count": checkpoint["count"]}
    return best


def hold_unsent(reason: str) -> list[int]:
    """Mark every pending or in-flight outbox message as held (the caller commits); return their ids."""
    ids = list(db.session.scalars(sa.select(OutboxMessage.id).where(OutboxMessage.status.in_(UNSENT))
                                  .order_by(OutboxMessage.id)))
    if ids:
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                           .values(status=HELD, lease_until=None, claimed_by=None, last_error=reason[:2000])
                           .execution_options(synchronize_session=False))
    return ids


def acknowledge(path: Path, manifest: dict, before: dict) -> dict:
    """Hold the unsent outbox, audit the restore and anchor the marker; return what was done."""
    made = manifest.get("created_at", "?")
    restored = anchors.head()
    held = hold_unsent(f"held after the restore of the backup made {made}: it may have been sent already")
    lost_to = max(before["entry_id"], restored["entry_id"])
    lost_count = max(before["count"], restored["count"])
    lost = (f"entries after #{restored['entry_id']} are gone (#{restored['entry_id'] + 1}–#{lost_to})"
            if lost_to > restored["entry_id"] else "no audit entries were lost")
    entry = audit.record("backup_restored", via="system", field="backup", new=Path(path).name,
                         detail=f"restored from the backup made {made}; {lost}; {len(held)} outbox "
                                f"message(s) held: {_ids(held)}")
    db.session.commit()
    backup = {"file": Path(path).name, "created_at": made, "id": str(manifest.get("signature", ""))[:16]}
    marker = anchors.write_restore_marker(restored, {"entry_id": lost_to, "count": lost_count}, backup)
    db.session.rollback()
    return {"entry_id": entry.id, "restored": restored, "lost_to": lost_to, "held": held, "marker": marker}


def _ids(ids: list[int], most: int = 50) -> str:
    text = ",".join(str(i) for i in ids[:most])
    return (text + f",… ({len(ids)})") if len(ids) > most else (text or "none")
