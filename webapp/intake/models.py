"""Tables of the intake domain: channels as data, item aliases for 接龙 lines, the intake log,
remembered column mappings and background import jobs."""
from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class Channel(db.Model):
    """A sales channel: the built-ins (seeded by the migration) and those an admin adds."""

    __tablename__ = "intake_channels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    label: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="manual")  # manual / paste / file / push / pull
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    secret: Mapped[str | None] = mapped_column(Text, nullable=True)  # sealed (webapp.webhooks.keys), for pushes
    # The user whose permissions apply to pushed orders (the channel's service user).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    # JSON: the platform adapter (pull), its base URL and app id, the push body format (push)
    settings: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user = relationship("User", lazy="joined")


class ItemAlias(db.Model):
    """Another name for a catalogue SKU as customers write it in 接龙 lists (贡 → GONG-5KG)."""

    __tablename__ = "intake_aliases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alias: Mapped[str] = mapped_column(String(64), unique=True)
    sku: Mapped[str] = mapped_column(String(32), index=True)


class IntakeRun(db.Model):
    """One intake run (a paste, a file, a push): who, which channel, and what came of it."""

    __tablename__ = "intake_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), index=True)
    source: Mapped[str] = mapped_column(String(16))  # jielong / file / push / pull
    filename: Mapped[str] = mapped_column(String(255), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # a pull changed an order
    existing: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    started_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    finished_at = mapped_column(UTCDateTime, nullable=True)

    user = relationship("User", lazy="joined")
    errors = relationship("IntakeError", lazy="select", order_by="IntakeError.id",
                          cascade="all, delete-orphan", passive_deletes=True)


class IntakeError(db.Model):
    """A line or row an intake run skipped: why, and its raw text (shown to admins only)."""

    __tablename__ = "intake_errors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("intake_runs.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    raw: Mapped[str] = mapped_column(Text, default="")


class ColumnMapping(db.Model):
    """How a file's columns map to order fields, remembered per channel and header row (its signature)."""

    __tablename__ = "intake_mappings"
    __table_args__ = (UniqueConstraint("channel", "signature"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(40))  # sha1 of the normalised header row
    columns: Mapped[str] = mapped_column(Text, default="{}")  # JSON {column position: field name}
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class ImportJob(db.Model):
    """An uploaded order file and its check or import, run in the request or by the worker.

    state: mapping (waiting for the user's columns) → queued → running → done | failed. The file is
    kept in the row (every app server and worker sees it) until the job is a day old.
    """

    __tablename__ = "intake_import_jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                index=True)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str] = mapped_column(String(12), default="mapping", index=True)
    header: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of the header cells
    signature: Mapped[str] = mapped_column(String(40), default="")
    columns: Mapped[str] = mapped_column(Text, default="{}")  # JSON {column index: field name}
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    total: Mapped[int] = mapped_column(Integer, default=0)  # rows in the file (estimated for CSV), 0: unknown
    processed: Mapped[int] = mapped_column(Integer, default=0)  # rows read so far
    created: Mapped[int] = mapped_column(Integer, default=0)
    existing: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")  # why a job failed as a whole
    errors_csv: Mapped[str | None] = mapped_column(Text, nullable=True)  # the rows skipped, formula-safe
    run_id: Mapped[int | None] = mapped_column(ForeignKey("intake_runs.id", ondelete="SET NULL"), nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    heartbeat_at = mapped_column(UTCDateTime, nullable=True)  # a running job's lease
    finished_at = mapped_column(UTCDateTime, nullable=True)

    user = relationship("User", lazy="joined")
