"""Photos on after-sales cases: checked and re-encoded by the warehouse's photo code, kept in the file store.

prepare() (webapp.warehouse.photos) does the safe image work — type check, pixel caps, upright, EXIF
dropped, a 1600 px copy and a thumbnail — under an image slot and outside any transaction; add() stores
both files under `cases/<case id>/` and adds the row and its audit entry to the caller's transaction.
"""
import hashlib
import secrets
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.access.policy import policy_for
from webapp.aftersales.models import AftersalesCase, CasePhoto
from webapp.audit.services import record
from webapp.core import storage
from webapp.extensions import db
from webapp.orders.errors import Forbidden, Invalid
from webapp.warehouse.photos import Prepared, prepare  # noqa: F401 (prepare: the one safe image path)

FOLDER = "cases/"
MAX_PER_CASE = 12


def limit_bytes() -> int:
    """Return the largest photo accepted (PHOTO_MAX_BYTES, capped by the upload limit), as for packing photos."""
    return min(current_app.config["PHOTO_MAX_BYTES"], current_app.config["MAX_CONTENT_LENGTH"])


def may_add(policy) -> bool:
    """Say whether the role may attach photos to cases: the aftersales action."""
    return policy.can("aftersales")


def may_view(policy) -> bool:
    """Say whether the role may see case photos: it sees cases and may read photos in the matrix."""
    return (policy.can("aftersales") or policy.can("refund_review")) and policy.can_read("photos")


def add(case: AftersalesCase, order, prepared: Prepared, *, actor, via: str) -> CasePhoto:
    """Store one prepared photo of a case, then add its row and audit entry (the caller commits)."""
    if not may_add(policy_for(actor)):
        raise Forbidden(_l("Your role may not add photos to after-sales cases."))
    if len(case.photos) >= MAX_PER_CASE:
        raise Invalid({"photo": _l("A case holds at most %(n)s photos.", n=MAX_PER_CASE)})
    name = f"{FOLDER}{case.id}/{secrets.token_urlsafe(12)}"
    photo = CasePhoto(case_id=case.id, user_id=getattr(actor, "id", None), path=f"{name}.jpg",
                      thumb_path=f"{name}.thumb.jpg", width=prepared.width, height=prepared.height,
                      size_bytes=len(prepared.full), sha256=hashlib.sha256(prepared.full).hexdigest())
    store = storage.store()
    store.put(photo.path, prepared.full, "image/jpeg")
    store.put(photo.thumb_path, prepared.thumb, "image/jpeg")
    case.photos.append(photo)
    db.session.flush()
    record("case_photo", actor=actor, via=via, order_no=order.order_no, field=f"case #{case.id}",
           new=photo.sha256, detail=f"photo {photo.id}, {photo.width}x{photo.height}")
    return photo


def open_file(photo: CasePhoto, thumb: bool = False) -> BinaryIO:
    """Open a stored case photo (or its thumbnail); FileNotFoundError when it is missing."""
    return storage.store().open(photo.thumb_path if thumb else photo.path)
