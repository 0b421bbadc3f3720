"""Tables of after-sales: cases on an order (with the lines concerned) and the customer inquiry log."""
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db

Money = Numeric(12, 2, asdecimal=True)


class AftersalesCase(db.Model):
    """A return, exchange, wrong / missing / damaged item or refund on one order (vocab.CASE_KINDS)."""

    __tablename__ = "aftersales_cases"
    __table_args__ = (Index("ix_aftersales_cases_created", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    customer_words: Mapped[str] = mapped_column(Text, default="")
    refund_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    linked_order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    refunded_at = mapped_column(UTCDateTime, nullable=True)  # the dashboard counts refunds on this day

    lines = relationship("CaseLine", cascade="all, delete-orphan", passive_deletes=True, lazy="select")
    photos = relationship("CasePhoto", cascade="all, delete-orphan", passive_deletes=True, lazy="select",
                          order_by="CasePhoto.id")


class CaseLine(db.Model):
    """One order line a case is about, and how many of it."""

    __tablename__ = "aftersales_case_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("aftersales_cases.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(Integer, default=1)


class CasePhoto(db.Model):
    """A photo on a case (the customer's picture of the damage, the wrong item …): re-encoded JPEG in the file store."""

    __tablename__ = "aftersales_case_photos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("aftersales_cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    path: Mapped[str] = mapped_column(String(255))        # a key of webapp.core.storage
    thumb_path: Mapped[str] = mapped_column(String(255))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Inquiry(db.Model):
    """A customer's call or message about an order, recorded by support (vocab.INQUIRY_REASONS)."""

    __tablename__ = "inquiries"
    __table_args__ = (Index("ix_inquiries_created", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    actor = relationship("User", lazy="joined")
