"""Tables of the warehouse domain: scans of order labels and photo evidence."""
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db

# How an order was opened: camera = live scanner in the app, photo = a picture decoded on the
# server, url = the phone's own camera app opened the QR's URL, typed = the number typed by hand.
SCAN_METHODS = ("camera", "photo", "url", "typed")
CAMERA_METHODS = ("camera", "photo", "url")


class Scan(db.Model):
    """One time somebody opened an order from its label (or typed its number, with a reason)."""

    __tablename__ = "warehouse_scans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    method: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text, default="")
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user = relationship("User", lazy="joined")


class Photo(db.Model):
    """A photo of a packed order, re-encoded as JPEG (no EXIF) and stored under UPLOAD_DIR."""

    __tablename__ = "warehouse_photos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    path: Mapped[str] = mapped_column(String(255))        # relative to UPLOAD_DIR
    thumb_path: Mapped[str] = mapped_column(String(255))  # relative to UPLOAD_DIR
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user = relationship("User", lazy="joined")
