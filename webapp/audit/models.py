"""Table of the audit domain: one row per recorded fact, chained by hashes."""
from sqlalchemy import ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class AuditEntry(db.Model):
    """Who did what to which order field, when, through which path; never updated or deleted.

    The database refuses UPDATE and DELETE on this table (triggers, migration 0003). `scheme` says how
    `hash` was made (webapp.audit.chain): 1 = plain SHA-256 (entries before issue 17), 2 = HMAC-SHA256
    with the audit key, which the database does not hold.
    """

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    actor: Mapped[str] = mapped_column(String(64), default="system")
    via: Mapped[str] = mapped_column(String(16))  # web, api, offline, system
    action: Mapped[str] = mapped_column(String(32), index=True)
    order_no: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    field: Mapped[str | None] = mapped_column(String(64), nullable=True)
    old: Mapped[str | None] = mapped_column(Text, nullable=True)
    new: Mapped[str | None] = mapped_column(Text, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    device_at = mapped_column(UTCDateTime, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # one successor per entry: no forks
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    scheme: Mapped[int] = mapped_column(SmallInteger, default=2, server_default="1")  # rows before it: 1
