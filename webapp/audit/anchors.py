"""Checkpoints of the audit chain kept outside the database: signed, appended to every anchor store.

A checkpoint says "the chain of this database had `count` entries ending at entry `entry_id` with hash
`head`, at time `at`", signed with the audit key. `audit verify` compares the chain against every
checkpoint, so deleting the newest entries (a cut) after a checkpoint, or rewriting an entry it covers,
is caught even by someone who can rewrite the whole table.

Stores: a directory of append-only JSON lines (ORDERHUB_AUDIT_ANCHOR_DIR, default instance/audit-anchors/)
is always there; other code adds more (an object store, …) with register_store(factory), where
factory(app) returns an object with append(line) and lines(). write_checkpoint() is the one call for
"anchor the head now" (the hourly job, the daily report and a passing `audit verify` use it);
write_restore_marker() is the signed acknowledgement `backup restore` leaves (see webapp.audit.verify).
"""
import hashlib
import json
import logging
import os
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from webapp.audit import chain
from webapp.audit.models import AuditEntry
from webapp.core.db import utcnow
from webapp.extensions import db

log = logging.getLogger(__name__)
FILE_NAME = "checkpoints.jsonl"
RESTORE = "restore"  # the kind of a restore marker (plain checkpoints carry no kind)
_factories: list = []


class FileStore:
    """Checkpoints as JSON lines in one append-only file of a directory."""

    def __init__(self, directory: str):
        """Keep the directory's path (created on the first append)."""
        self.path = Path(directory) / FILE_NAME
        self.name = f"file:{self.path}"

    def append(self, line: str) -> None:
        """Append one line in a single write (O_APPEND: concurrent writers do not interleave)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, (line.rstrip("\n") + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)

    def lines(self) -> list[str]:
        """Return every line written so far (none when the file does not exist)."""
        if not self.path.exists():
            return []
        return self.path.read_text(encoding="utf-8").splitlines()


def register_store(factory) -> None:
    """Add a store for every app: factory(app) returns an object with append(line) and lines()."""
    if factory not in _factories:
        _factories.append(factory)


def stores() -> list:
    """Return the current app's stores: the anchor directory first, then the registered ones."""
    app = current_app._get_current_object()
    return [FileStore(app.config.get("AUDIT_ANCHOR_DIR") or os.path.join(app.instance_path, "audit-anchors")),
            *(factory(app) for factory in _factories)]


def database_tag() -> str:
    """Name the database a checkpoint belongs to (its URL without password, hashed), so one anchor
    directory shared by several databases (tests, a restored copy) never mixes their checkpoints."""
    url = make_url(str(db.engine.url)).render_as_string(hide_password=True)
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def head() -> dict:
    """Return the committed head of the chain: last entry id, its hash, the count, the first keyed id."""
    last = db.session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    entry_id, head_hash = (last[0], last[1]) if last else (0, chain.GENESIS)
    count = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= entry_id))
    keyed_from = db.session.scalar(select(func.min(AuditEntry.id)).where(AuditEntry.scheme == chain.KEYED))
    return {"entry_id": entry_id, "head": head_hash, "count": count, "keyed_from": keyed_from}


def make_checkpoint(**extra) -> dict:
    """Return a signed checkpoint of the chain's head now (nothing written); extra fields are signed too.

    The time has microseconds: a restore marker supersedes exactly the checkpoints written before it.
    """
    payload = {"v": 1, "db": database_tag(), "at": utcnow().isoformat(timespec="microseconds"), **head(), **extra}
    payload["sig"] = chain.sign(payload)
    return payload


def write_checkpoint(**extra) -> dict:
    """Sign the head and append it to every store; return the checkpoint (a failing store is logged)."""
    checkpoint = make_checkpoint(**extra)
    line = json.dumps(checkpoint, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    written = 0
    for store in stores():
        try:
            store.append(line)
            written += 1
        except Exception:  # one store down must not stop the others (nor the caller's work)
            log.exception("could not write the audit checkpoint to %s", getattr(store, "name", store))
    if not written:
        raise OSError("no anchor store accepted the audit checkpoint")
    return checkpoint


def write_restore_marker(restored: dict, lost: dict, backup: dict) -> dict:
    """Anchor a restore: "the log was put back to entry restored['entry_id']; entries after it are gone".

    Written after the restore's own audit entry, so the marker is also a checkpoint of that entry.
    `audit verify` then treats checkpoints written before the marker that recorded entries after the
    restored head as acknowledged (lost with the restore), and checks everything else as usual.
    """
    return write_checkpoint(kind=RESTORE, restored_id=restored["entry_id"], restored_count=restored["count"],
                            lost_to=lost["entry_id"], lost_count=lost["count"], backup=backup)


def is_marker(checkpoint: dict) -> bool:
    """Say whether a checkpoint is a restore marker."""
    return checkpoint.get("kind") == RESTORE


def read_checkpoints() -> tuple[list[dict], list[str]]:
    """Return (this database's checkpoints with a valid signature, problems with unreadable or forged lines)."""
    tag, key = database_tag(), chain.subkey("anchor")
    found, problems, seen = [], [], set()
    for store in stores():
        for number, line in enumerate(store.lines(), 1):
            if not line.strip():
                continue
            try:
                payload = json.loads(line)
                ok = isinstance(payload, dict) and chain.signature_ok(payload, key)
            except ValueError:
                payload, ok = None, False
            if not ok:
                problems.append(f"{getattr(store, 'name', store)} line {number}: not a validly signed checkpoint")
            elif payload.get("db") == tag and payload["sig"] not in seen:
                seen.add(payload["sig"])
                found.append(payload)
    return sorted(found, key=lambda c: (c["entry_id"], c["count"])), problems
