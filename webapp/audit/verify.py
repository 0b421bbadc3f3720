"""Check the audit chain against itself and against the checkpoints kept outside the database.

Findings, the first one wins:
- rewrite: an entry's content does not match its hash (keyed entries: the HMAC fails, so a rewrite whose
  hashes were all recomputed without the audit key is caught), or a plain-hashed entry appears where
  the chain is already keyed;
- link: an entry does not link to the one before it (an entry in between was deleted);
- cut: a checkpoint recorded more entries, or an entry that is gone or was replaced by a later append
  (the newest entries were deleted, perhaps with the log continuing after the cut);
- anchor: a line in an anchor store is not a validly signed checkpoint (forged, damaged, or another key).

A restore (`backup restore`) leaves a signed restore marker: checkpoints written before it that recorded
entries after the restored head are acknowledged as lost with the restore and reported as such (the
report's `restores`), not as a cut; the marker itself and every later checkpoint are checked as usual.
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from webapp.audit import anchors, chain
from webapp.audit.models import AuditEntry
from webapp.extensions import db


@dataclass
class Finding:
    """One problem: its kind (rewrite, link, cut, anchor), the entry concerned if any, and why."""

    kind: str
    reason: str
    entry: AuditEntry | None = None


@dataclass
class Report:
    """What a check found: the first problem (None when the chain is intact) and what was covered."""

    finding: Finding | None
    count: int = 0
    head_id: int = 0
    checkpoints: list = field(default_factory=list)
    restores: list = field(default_factory=list)  # the restore markers met, oldest first
    superseded: int = 0  # checkpoints acknowledged as lost by a restore


def _entry_problem(entry, prev: str, keyed_seen: bool, keyed_from, key: bytes) -> Finding | None:
    """Return what is wrong with one entry given the hash before it, else None."""
    if entry.scheme not in (chain.LEGACY, chain.KEYED):
        return Finding("rewrite", f"unknown hash scheme {entry.scheme!r}", entry)
    if entry.scheme == chain.LEGACY and (keyed_seen or (keyed_from is not None and entry.id >= keyed_from)):
        return Finding("rewrite", "it carries a plain SHA-256 hash where the chain is keyed: "
                                  "rewritten without the audit key", entry)
    if entry.prev_hash != prev:
        return Finding("link", "it does not link to the entry before it: an entry in between was deleted "
                               "or changed", entry)
    if chain.entry_hash(prev, entry, key=key) != entry.hash:
        how = "its keyed hash (HMAC) does not match" if entry.scheme == chain.KEYED else "its hash does not match"
        return Finding("rewrite", f"{how}: its content was changed", entry)
    return None


def _against(checkpoint: dict, entry, count: int) -> Finding | None:
    """Compare an entry with the checkpoint that recorded it."""
    if checkpoint["head"] != entry.hash:  # a valid keyed entry, yet not the one recorded: the log was cut here
        return Finding("cut", f"the checkpoint of {checkpoint['at']} recorded another entry #{entry.id}: the "
                              "entries it covered were deleted and the log went on from an earlier entry", entry)
    if checkpoint["count"] != count:
        return Finding("cut", f"the checkpoint of {checkpoint['at']} counted {checkpoint['count']} entries up to "
                              f"here, the log has {count}: entries were deleted", entry)
    return None


def _walk(by_id: dict, keyed_from) -> tuple[Finding | None, int, int, set]:
    """Walk the chain oldest first; return (first finding, count, last id, checkpoint ids met)."""
    key, prev, count, last_id, keyed_seen, met = chain.subkey("chain"), chain.GENESIS, 0, 0, False, set()
    for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        count, last_id = count + 1, entry.id
        problem = _entry_problem(entry, prev, keyed_seen, keyed_from, key)
        for checkpoint in by_id.get(entry.id, ()):
            met.add(entry.id)
            problem = problem or _against(checkpoint, entry, count)
        if problem:
            return problem, count, last_id, met
        keyed_seen = keyed_seen or entry.scheme == chain.KEYED
        prev = entry.hash
    return None, count, last_id, met


def _cut(checkpoints: list, count: int, last_id: int, met: set) -> Finding | None:
    """Return a cut when a checkpoint recorded an entry or a count the log no longer has."""
    for checkpoint in reversed(checkpoints):  # the newest checkpoint tells the most
        if checkpoint["count"] > count or (checkpoint["entry_id"] and checkpoint["entry_id"] not in met):
            return Finding("cut", f"the log ends at entry #{last_id} ({count} entries) but the checkpoint of "
                                  f"{checkpoint['at']} recorded entry #{checkpoint['entry_id']} "
                                  f"({checkpoint['count']} entries): the newest entries were deleted")
    return None


def _when(checkpoint: dict) -> datetime:
    return datetime.fromisoformat(checkpoint["at"])


def _superseded(checkpoint: dict, markers: list) -> bool:
    """Say whether a later restore marker put the log back to before the entry this checkpoint recorded."""
    return any(_when(checkpoint) < _when(m) and checkpoint["entry_id"] > m["restored_id"] for m in markers)


def split_restores(checkpoints: list) -> tuple[list, list, int]:
    """Return (checkpoints still binding, restore markers oldest first, how many a restore acknowledged)."""
    markers = sorted((c for c in checkpoints if anchors.is_marker(c)), key=_when)
    binding = [c for c in checkpoints if not _superseded(c, markers)]
    return binding, markers, len(checkpoints) - len(binding)


def check() -> Report:
    """Check the chain and every checkpoint of this database; return the first finding (or none)."""
    checkpoints, problems = anchors.read_checkpoints()
    checkpoints, markers, superseded = split_restores(checkpoints)
    by_id: dict = {}
    for checkpoint in checkpoints:
        by_id.setdefault(checkpoint["entry_id"], []).append(checkpoint)
    keyed = [c["keyed_from"] for c in checkpoints if c.get("keyed_from")]
    finding, count, last_id, met = _walk(by_id, min(keyed) if keyed else None)
    finding = finding or _cut(checkpoints, count, last_id, met)
    if finding is None and problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        finding = Finding("anchor", "; ".join(problems[:3]) + more)
    return Report(finding, count, last_id, checkpoints, markers, superseded)
