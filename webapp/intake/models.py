"""Tables of the intake domain: channels as data, item aliases for 接龙 lines, and the intake log."""
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
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
    source: Mapped[str] = mapped_column(String(16))  # jielong / file / push
    filename: Mapped[str] = mapped_column(String(255), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[int] = mapped_column(Integer, default=0)
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
