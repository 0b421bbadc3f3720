"""Tables of the offline domain: idempotency keys with their first response, reserved paper order numbers."""
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class IdempotencyKey(db.Model):
    """One Idempotency-Key a user sent, with the first response to replay (status None: in progress)."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(128))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(255))
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    headers: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of [name, value]
    body: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)  # API: SHA-256 of the body
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    completed_at = mapped_column(UTCDateTime, nullable=True)


class ReservedNumber(db.Model):
    """An order number taken from the day's sequence for a paper form; used at most once."""

    __tablename__ = "reserved_order_numbers"
    order_no: Mapped[str] = mapped_column(String(20), primary_key=True)
    batch: Mapped[str] = mapped_column(String(32), index=True)
    reserved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    reserved_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    used_at = mapped_column(UTCDateTime, nullable=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True, unique=True)
