"""Photo evidence: check, re-encode (drops EXIF/GPS), thumbnail and store outside static/."""
import hashlib
import secrets
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from webapp.audit import services as audit
from webapp.core.errors import AppError
from webapp.extensions import db
from webapp.warehouse import images
from webapp.warehouse.models import Photo

PHOTO_EDGE = 1600
THUMB_EDGE = 320
NO_PHOTO = _l("No photo was sent. Tap “Take photo” and try again.")


def too_large(limit_bytes: int) -> AppError:
    """Return the 413 a too-large upload gets, naming the limit in MB."""
    mb = limit_bytes // (1024 * 1024)
    return AppError(413, _l("This photo is larger than %(mb)d MB. Take it again at a lower size, or let the "
                            "page shrink it (keep the page open while it uploads).", mb=mb), "too_large")


def store(order, data: bytes, *, actor, via: str, upload_dir: str, limit_bytes: int) -> Photo:
    """Save one photo of an order: verify, turn upright, re-encode ≤ 1600 px, thumbnail, record."""
    if not data:
        raise AppError(422, NO_PHOTO, "no_photo")
    if len(data) > limit_bytes:
        raise too_large(limit_bytes)
    img = images.open_image(data, PHOTO_EDGE)
    full, thumb = images.jpeg(img, PHOTO_EDGE), images.jpeg(img, THUMB_EDGE, quality=75)
    folder = Path("photos") / str(order.id)
    name = secrets.token_urlsafe(12)
    rel, rel_thumb = folder / f"{name}.jpg", folder / f"{name}.thumb.jpg"
    (Path(upload_dir) / folder).mkdir(parents=True, exist_ok=True)
    (Path(upload_dir) / rel).write_bytes(full)
    (Path(upload_dir) / rel_thumb).write_bytes(thumb)
    width, height = _size(img)
    photo = Photo(order_id=order.id, user_id=getattr(actor, "id", None), path=str(rel),
                  thumb_path=str(rel_thumb), width=width, height=height, size_bytes=len(full),
                  sha256=hashlib.sha256(full).hexdigest())
    db.session.add(photo)
    db.session.flush()
    audit.record("photo", actor=actor, via=via, order_no=order.order_no, field="photos",
                 new=photo.sha256, detail=f"photo {photo.id}, {width}x{height}")
    return photo


def _size(img) -> tuple[int, int]:
    scale = min(1.0, PHOTO_EDGE / max(img.size))
    return round(img.width * scale), round(img.height * scale)


def of_order(order_id: int) -> list[Photo]:
    """Return an order's photos, oldest first."""
    return db.session.scalars(select(Photo).where(Photo.order_id == order_id).order_by(Photo.id)).all()


def count(order_id: int) -> int:
    """Return how many photos an order has."""
    return db.session.scalar(select(func.count()).select_from(Photo).where(Photo.order_id == order_id))


def file_of(photo: Photo, upload_dir: str, thumb: bool = False) -> Path:
    """Return the file path of a stored photo (or its thumbnail)."""
    return Path(upload_dir) / (photo.thumb_path if thumb else photo.path)
