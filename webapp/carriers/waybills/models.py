"""Table of electronic waybills: one per order, the carrier's answer and how many rounds were asked."""
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class Waybill(db.Model):
    """An order's waybill request: pending until the carrier answers, then ok (with its number) or failed.

    round counts the requests staff asked for (the first at outbound, then each retry); the outbox key
    carries it, so one round is sent once. The carrier is asked with our order number as its order id,
    so a repeated round returns the same waybill instead of a second one.
    """

    __tablename__ = "carrier_waybills"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    adapter: Mapped[str] = mapped_column(String(16))
    carrier: Mapped[str] = mapped_column(String(64), default="")
    waybill_no: Mapped[str] = mapped_column(String(64), default="", index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    code: Mapped[str] = mapped_column(String(32), default="")
    error: Mapped[str] = mapped_column(String(500), default="")
    round: Mapped[int] = mapped_column(Integer, default=1)
    requested_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    answered_at = mapped_column(UTCDateTime, nullable=True)

    order = relationship("Order", lazy="joined")
