"""Tables of marketplace pull: each pull channel's cursor and backoff, and what each pulled order was on the platform."""
from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime
from webapp.extensions import db


class PullState(db.Model):
    """Where a pull channel is: the update-time window being read, the page of it, failures and the next run.

    cursor/window_end are platform times (epoch seconds); page_key is the platform's key of the next
    page inside the window. All three move only after the orders of a page are committed.
    """

    __tablename__ = "intake_pull_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("intake_channels.id", ondelete="CASCADE"), unique=True)
    cursor: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    window_end: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    page_key: Mapped[str] = mapped_column(String(255), default="")
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_run_at = mapped_column(UTCDateTime, nullable=True)
    lease_until = mapped_column(UTCDateTime, nullable=True)  # a worker is pulling until then
    last_run_at = mapped_column(UTCDateTime, nullable=True)
    last_success_at = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")

    channel = relationship("Channel", lazy="joined")


class PullRef(db.Model):
    """A pulled order as the platform knows it: its update time and what a write-back needs (payment id, buyer)."""

    __tablename__ = "intake_pull_refs"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_intake_pull_refs_channel_external_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    remote_updated: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    data: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")  # JSON
