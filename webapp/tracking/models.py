"""Tables of the tracking domain: the random part of each order's signed tracking link, and customers' views."""
from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class TrackingLink(db.Model):
    """An order's tracking nonce; rotating or revoking it kills every link handed out before."""

    __tablename__ = "tracking_links"
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(32))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    revoked_at = mapped_column(UTCDateTime, nullable=True)


class TrackingView(db.Model):
    """One customer view of the tracking page /t/<token> (staff previews are not recorded): one insert per view."""

    __tablename__ = "tracking_views"
    __table_args__ = (Index("ix_tracking_views_at", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
