"""Column mappings of order files, remembered per channel and header row, preselected on the next upload.

A file's header row has a signature (a hash of its normalised cells); the mapping the user confirmed
for (channel, signature) is kept as {column position: field} and offered again when the same kind of
file comes from that channel. Without one, the header texts are guessed (files.DEFAULT_HEADERS).
"""
import hashlib
import json

from sqlalchemy import select

from webapp.access.labels import field_label
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.intake import files
from webapp.intake.models import ColumnMapping

FIELDS = tuple(files.DEFAULT_HEADERS)  # what a column may hold (contract field names)


def signature(header) -> str:
    """Return the hash naming a header row (case, spaces and the order of cells count)."""
    cells = "\x1f".join(" ".join(str(c or "").split()).lower() for c in header)
    return hashlib.sha1(cells.encode()).hexdigest()


def field_choices() -> list[tuple[str, str]]:
    """(field, label) a column may be mapped to, the empty choice first ("not imported")."""
    return [("", "—")] + [(name, f"{field_label(name)} · {name}") for name in FIELDS]


def load(text: str | None) -> dict[int, str]:
    """Read a stored {position: field} mapping, dropping what is not a known field."""
    try:
        raw = json.loads(text or "{}")
    except ValueError:
        return {}
    return {int(k): v for k, v in raw.items() if str(k).isdigit() and v in FIELDS}


def dump(columns: dict) -> str:
    """Store a {position: field} mapping as JSON."""
    return json.dumps({str(k): v for k, v in sorted(columns.items())}, ensure_ascii=False)


def remembered(channel: str, header) -> dict[int, str] | None:
    """Return the mapping confirmed before for this channel and header row, if any."""
    row = db.session.scalar(select(ColumnMapping).where(ColumnMapping.channel == channel,
                                                        ColumnMapping.signature == signature(header)))
    return load(row.columns) if row else None


def preselect(channel: str, header) -> tuple[dict[int, str], bool]:
    """Return (the mapping to offer, whether it was remembered) for a file's header row."""
    known = remembered(channel, header)
    return (known, True) if known is not None else (files.guess(header), False)


def from_form(form, header) -> dict[int, str]:
    """Read the mapping the user chose (`col-<position>` = field or empty) and check it; raise FileRefused."""
    columns = {}
    for position in range(len(header)):
        name = form.get(f"col-{position}", "")
        if name:
            if name not in FIELDS:
                raise files.FileRefused(f"unknown field {name!r}")
            columns[position] = name
    return files.require_columns(columns)


def remember(channel: str, header, columns: dict, user) -> ColumnMapping:
    """Keep the confirmed mapping for this channel and header row (replacing an older one); caller commits."""
    sig = signature(header)
    row = db.session.scalar(select(ColumnMapping).where(ColumnMapping.channel == channel,
                                                        ColumnMapping.signature == sig))
    if row is None:
        row = ColumnMapping(channel=channel, signature=sig)
        db.session.add(row)
    row.columns, row.user_id, row.updated_at = dump(columns), getattr(user, "id", None), utcnow()
    db.session.flush()
    return row
