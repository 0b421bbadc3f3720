"""Tables of parcel tracking: one parcel per shipped order and the courier's events, kept in time order."""
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class Parcel(db.Model):
    """An order's parcel at the tracking aggregator: its company code, number and last known state.

    state is the aggregator's code (0 在途, 1 揽收, 2 疑难, 3 签收, 4 退签 …); problem holds the code of
    an open delivery problem (2, 4, 6, 14) until the parcel is signed for.
    """

    __tablename__ = "carrier_parcels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    carrier: Mapped[str] = mapped_column(String(64), default="")
    company: Mapped[str] = mapped_column(String(32), default="")
    tracking_no: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(8), default="")
    problem: Mapped[str] = mapped_column(String(8), default="")
    subscribed_at = mapped_column(UTCDateTime, nullable=True)
    last_update_at = mapped_column(UTCDateTime, nullable=True)  # last callback or poll answer
    delivered_at = mapped_column(UTCDateTime, nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    order = relationship("Order", lazy="joined")


class ParcelEvent(db.Model):
    """One courier scan (time, text, status, place); the same scan reported twice is stored once."""

    __tablename__ = "carrier_parcel_events"
    __table_args__ = (UniqueConstraint("parcel_id", "at", "fingerprint", name="uq_carrier_parcel_events_scan"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("carrier_parcels.id", ondelete="CASCADE"))
    at = mapped_column(UTCDateTime, nullable=False)
    context: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(32))  # md5 of the context: a short unique key
    status: Mapped[str] = mapped_column(String(16), default="")
    place: Mapped[str] = mapped_column(String(64), default="")
