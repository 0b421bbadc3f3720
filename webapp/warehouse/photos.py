"""Photo evidence: check, re-encode (drops EXIF/GPS), thumbnail and keep in the file store (never static/).

Two steps so no database lock is held while a picture is decoded: prepare() is pure CPU work under
an image slot; record() writes the files to the store, then adds the row in the caller's transaction.
A file whose transaction never commits (a worker killed mid-request) has no row: sweep_orphans()
removes such files once they are older than ORPHAN_MINUTES (a scheduled job).
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from webapp.audit import services as audit
from webapp.core import storage
from webapp.core.db import utcnow
from webapp.core.errors import AppError
from webapp.extensions import db
from webapp.warehouse import images
from webapp.warehouse.models import Photo

PHOTO_EDGE = 1600
THUMB_EDGE = 320
FOLDER = "photos/"
NO_PHOTO = _l("No photo was sent. Tap “Take photo” and try again.")


@dataclass(frozen=True)
class Prepared:
    """A checked picture, re-encoded and ready to store."""

    full: bytes
    thumb: bytes
    width: int
    height: int


def too_large(limit_bytes: int) -> AppError:
    """Return the 413 a too-large upload gets, naming the limit in MB."""
    mb = limit_bytes // (1024 * 1024)
    return AppError(413, _l("This photo is larger than %(mb)d MB. Take it again at a lower size, or let the "
                            "page shrink it (keep the page open while it uploads).", mb=mb), "too_large")


def prepare(data: bytes, *, limit_bytes: int) -> Prepared:
    """Verify an upload, turn it upright and re-encode it ≤ 1600 px plus a thumbnail (no database work)."""
    if not data:
        raise AppError(422, NO_PHOTO, "no_photo")
    if len(data) > limit_bytes:
        raise too_large(limit_bytes)
    with images.turn():
        img = images.open_image(data, PHOTO_EDGE)
        full, thumb = images.jpeg(img, PHOTO_EDGE), images.jpeg(img, THUMB_EDGE, quality=75)
    scale = min(1.0, PHOTO_EDGE / max(img.size))
    return Prepared(full, thumb, round(img.width * scale), round(img.height * scale))


def record(order, prepared: Prepared, *, actor, via: str) -> Photo:
    """Store the files, then add the photo's row and audit entry to the caller's transaction."""
    name = f"{FOLDER}{order.id}/{secrets.token_urlsafe(12)}"
    path, thumb_path = f"{name}.jpg", f"{name}.thumb.jpg"
    store = storage.store()
    store.put(path, prepared.full, "image/jpeg")
    store.put(thumb_path, prepared.thumb, "image/jpeg")
    photo = Photo(order_id=order.id, user_id=getattr(actor, "id", None), path=path, thumb_path=thumb_path,
                  width=prepared.width, height=prepared.height, size_bytes=len(prepared.full),
                  sha256=hashlib.sha256(prepared.full).hexdigest())
    db.session.add(photo)
    db.session.flush()
    audit.record("photo", actor=actor, via=via, order_no=order.order_no, field="photos",
                 new=photo.sha256, detail=f"photo {photo.id}, {photo.width}x{photo.height}")
    return photo


def store(order, data: bytes, *, actor, via: str, limit_bytes: int, upload_dir: str | None = None) -> Photo:
    """Prepare and record one photo of an order (upload_dir: ignored, the app's store decides)."""
    return record(order, prepare(data, limit_bytes=limit_bytes), actor=actor, via=via)


def of_order(order_id: int) -> list[Photo]:
    """Return an order's photos, oldest first."""
    return db.session.scalars(select(Photo).where(Photo.order_id == order_id).order_by(Photo.id)).all()


def count(order_id: int) -> int:
    """Return how many photos an order has."""
    return db.session.scalar(select(func.count()).select_from(Photo).where(Photo.order_id == order_id))


def open_file(photo: Photo, thumb: bool = False) -> BinaryIO:
    """Open a stored photo (or its thumbnail) for streaming; FileNotFoundError when it is missing."""
    return storage.store().open(photo.thumb_path if thumb else photo.path)


def sweep_orphans(older_than: timedelta) -> int:
    """Delete stored photo files that no photo row names and that are older than `older_than`."""
    cutoff = utcnow() - older_than
    old = [e.key for e in storage.store().list(FOLDER) if e.modified < cutoff]
    if not old:
        return 0
    known = set()
    for i in range(0, len(old), 500):
        chunk = old[i:i + 500]
        rows = db.session.execute(select(Photo.path, Photo.thumb_path).where(
            Photo.path.in_(chunk) | Photo.thumb_path.in_(chunk)))
        known.update(key for row in rows for key in row)
    db.session.rollback()
    orphans = [key for key in old if key not in known]
    for key in orphans:
        storage.store().delete(key)
    return len(orphans)
