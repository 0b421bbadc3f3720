"""Uploaded pictures: open safely (image check, pixel caps, HEIC), turn upright, decode barcodes.

Decoding is the expensive part of a request, so it is bounded: a JPEG is decoded straight at the
size needed (libjpeg's DCT scaling), a format that cannot be decoded scaled down (PNG, HEIC …) is
refused above IMAGE_MAX_FULL_PIXELS, and at most IMAGE_CONCURRENCY pictures per process are worked
on at once (turn()), so /healthz and every other request keep their threads and CPU share.
"""
import io
import math
import threading
import warnings
from contextlib import contextmanager

import zxingcpp
from flask import current_app, has_app_context, has_request_context, make_response
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from werkzeug.exceptions import HTTPException

from webapp.core.errors import AppError, error_response

try:  # iPhones send HEIC; pillow-heif teaches Pillow to read it.
    from pillow_heif import register_heif_opener
    register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - the dependency is in pyproject
    HEIC = False

MAX_PIXELS = 40_000_000
DECODE_EDGE = 2000  # decoding at this size finds a label QR faster; full size is the second try
QR = zxingcpp.BarcodeFormat.QRCode
COURIER = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.LinearCodes)

NOT_AN_IMAGE = _l("This file is not a picture. Take a photo with the camera and try again.")
TOO_MANY_PIXELS = _l("This picture is too large (more than 40 megapixels). Take it with the normal camera.")
TOO_LARGE_LOSSLESS = _l("This picture is too large to process in this format. Send a normal camera photo (JPEG), "
                        "or a smaller picture.")
BUSY_RETRY_AFTER = 5  # seconds: the busy answer's Retry-After
HEIC_MISSING = _l("HEIC photos cannot be read here. Set the camera to “Most Compatible” (JPEG) and try again.")


def open_image(data: bytes, edge: int | None = None) -> Image.Image:
    """Open uploaded bytes as an upright RGB image; raise AppError 422/413 for non-images or giants.

    With `edge`, a JPEG is decoded straight at a reduced scale no smaller than edge px (much faster).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AppError(413, TOO_MANY_PIXELS, "too_many_pixels") from exc
    except UnidentifiedImageError as exc:
        heic = data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc")
        raise AppError(422, HEIC_MISSING if heic and not HEIC else NOT_AN_IMAGE, "not_an_image") from exc
    except (OSError, ValueError) as exc:  # a truncated or corrupt header
        raise AppError(422, NOT_AN_IMAGE, "not_an_image") from exc
    if img.width * img.height > MAX_PIXELS:
        raise AppError(413, TOO_MANY_PIXELS, "too_many_pixels")
    if img.format != "JPEG" and img.width * img.height > _full_cap():
        raise AppError(413, TOO_LARGE_LOSSLESS, "too_many_pixels")
    try:
        if edge and img.format == "JPEG" and max(img.size) > edge:
            scale = edge / max(img.size)
            img.draft("RGB", (math.ceil(img.width * scale), math.ceil(img.height * scale)))
        img.load()
        ImageOps.exif_transpose(img, in_place=True)  # in place: no copy of the whole picture
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise AppError(422, NOT_AN_IMAGE, "not_an_image") from exc
    return img if img.mode == "RGB" else img.convert("RGB")  # convert() to the same mode would copy it


def _full_cap() -> int:
    """Return the largest picture (pixels) decoded at full size: formats that cannot be decoded scaled down."""
    return int(_config().get("IMAGE_MAX_FULL_PIXELS", 25_000_000))


def _config() -> dict:
    """Return the app's settings (the defaults apply to scripts that run without an app)."""
    return current_app.config if has_app_context() else {}


_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def _slot_for(size: int) -> threading.BoundedSemaphore:
    with _slots_lock:
        return _slots.setdefault(size, threading.BoundedSemaphore(size))


def _busy() -> Exception:
    """Return the busy answer: 503 with Retry-After and a message saying nothing was saved and when to retry."""
    message = _l("Many photos are being processed right now, so this one was not saved. Please send it again in "
                 "%(seconds)s seconds.", seconds=BUSY_RETRY_AFTER)
    if not has_request_context():
        return AppError(503, message, "busy")
    resp = make_response(error_response(503, message, "busy"))
    resp.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
    return HTTPException(response=resp)  # answered as built, headers included


@contextmanager
def turn():
    """Hold one of this process's IMAGE_CONCURRENCY picture slots; 503 if none frees up in IMAGE_WAIT s."""
    slot = _slot_for(max(1, int(_config().get("IMAGE_CONCURRENCY", 1))))
    if not slot.acquire(timeout=float(_config().get("IMAGE_WAIT", 20))):
        raise _busy()
    try:
        yield
    finally:
        slot.release()


def _read(img: Image.Image, formats) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(img.convert("L"), formats=formats) if b.text]


def read_codes(data: bytes, formats=QR) -> list[str]:
    """Return the texts of the barcodes in an uploaded picture (QR only by default).

    First on a copy about DECODE_EDGE px wide (fast, and enough for a label filling part of the
    picture), then at full size for a small or distant code.
    """
    with turn():
        img = open_image(data, DECODE_EDGE)
        if max(img.size) > DECODE_EDGE:
            img.thumbnail((DECODE_EDGE, DECODE_EDGE))
        found = _read(img, formats)
        if found or max(img.size) < DECODE_EDGE:
            return found
        return _read(open_image(data), formats)


def jpeg(img: Image.Image, edge: int, quality: int = 82) -> bytes:
    """Re-encode as a JPEG no larger than edge px (no EXIF, no GPS: nothing is copied over).

    Baseline with the standard Huffman tables: progressive + optimised tables cost six times the CPU
    (about 36 ms instead of 6 ms for a 1280 × 960 photo, the upload's biggest cost) for ~10 % fewer bytes.
    """
    if max(img.size) > edge:
        img = img.copy()
        # reducing_gap 1: shrink by the whole factor with a box filter first (a 1280 px photo's thumbnail:
        # 1.3 ms instead of 4.7 ms), then LANCZOS for the rest
        img.thumbnail((edge, edge), Image.Resampling.LANCZOS, reducing_gap=1.0)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()
