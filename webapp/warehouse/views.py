"""Warehouse screens: scan, the QR-opened route, pack, photos, outbound, done and hand-over."""
from flask import Blueprint, current_app, redirect, request, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.access.policy import policy_for
from webapp.core.db import writes_on_get
from webapp.core.errors import AppError, error_response
from webapp.core.origin import request_via
from webapp.core.render import render_screen, wants_json
from webapp.extensions import db
from webapp.orders import services as orders
from webapp.orders import txn
from webapp.orders.errors import Conflict, Invalid, OrderError
from webapp.warehouse import images, photos, services
from webapp.warehouse.models import Photo
from webapp.vocab import SHIPPED_STATES

bp = Blueprint("warehouse", __name__)
UNREADABLE = _l("Could not read a QR code — hold the phone closer and avoid glare, then try again.")


def _photo_limit() -> int:
    return min(current_app.config["PHOTO_MAX_BYTES"], current_app.config["MAX_CONTENT_LENGTH"])


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc):
    err = photos.too_large(_photo_limit())
    return error_response(413, err.message, err.code)


@bp.get("/scan")
@login_required
def scan():
    """Show the scanner: the camera at once, a photo fallback and typing the number."""
    return render_screen("pages/warehouse/scan.html")


@bp.post("/scan")
@login_required
def scan_post():
    """Open the order named by a photo of its QR (decoded here) or by a scanned/typed `code`."""
    upload = request.files.get("photo")
    try:
        if upload is not None and upload.filename:
            order = _order_from_photo(upload.read())
        else:
            method = "camera" if request.form.get("via") == "camera" else "typed"
            order = services.open_code(request.form.get("code", ""), actor=current_user,
                                       secret=current_app.config["SECRET_KEY"], method=method, via=request_via())
        db.session.commit()
    except AppError as exc:
        db.session.rollback()
        if wants_json():
            raise
        return render_screen("pages/warehouse/scan.html", error=exc.message, status=exc.status,
                             code=request.form.get("code", ""), retry=upload is not None and upload.filename)
    return redirect(url_for("warehouse.pack", order_no=order.order_no), 303)


def _order_from_photo(data: bytes):
    if len(data) > _photo_limit():
        raise photos.too_large(_photo_limit())
    texts = images.read_codes(data)
    if not texts:
        raise AppError(422, UNREADABLE, "unreadable")
    return services.open_code(texts[0], actor=current_user, secret=current_app.config["SECRET_KEY"],
                              method="photo", via=request_via())


@bp.get("/o/<order_no>")
@writes_on_get
@login_required
def open_label(order_no):
    """What an order's QR opens (the phone's camera app too): check the signature, go to packing."""
    order = services.open_label(order_no, request.args.get("s"), actor=current_user,
                                secret=current_app.config["SECRET_KEY"], via=request_via())
    db.session.commit()
    return redirect(url_for("warehouse.pack", order_no=order.order_no), 303)


@bp.get("/pack/<order_no>")
@login_required
def pack(order_no):
    """Show the pack screen: what to pick, who to call, photo proof and the outbound button."""
    order = orders.load(order_no, current_user)
    return _pack_screen(order)


def _pack_screen(order, error=None, status=200):
    ctx = services.pack_view(order, current_user)
    shipped = services.shipped_by(order) if order.status in SHIPPED_STATES else None
    return render_screen("pages/warehouse/pack.html", error=error, shipped=shipped, status=status, **ctx)


@bp.post("/orders/<order_no>/photos")
@login_required
def upload_photo(order_no):
    """Add a photo of the packed order (field `photo`); answer JSON to the page's uploader."""
    order = orders.load(order_no, current_user)
    if not policy_for(current_user).can_write("photos"):
        raise AppError(403, _l("You may not add photos to this order."), "forbidden", ["photos"])
    upload = request.files.get("photo")
    db.session.rollback()  # hold no database lock while the picture is decoded
    prepared = photos.prepare(upload.read() if upload else b"", limit_bytes=_photo_limit())
    order = orders.load(order_no, current_user)
    photo = photos.record(order, prepared, actor=current_user, via=request_via())
    answer = wants_json() and {"id": photo.id, "count": photos.count(order.id),
                               "ready": not services.missing_evidence(order)}
    db.session.commit()  # the answer was read in the write: no second transaction (on SQLite a second write lock)
    if answer:
        return answer | {"thumb": url_for("warehouse.photo", order_no=order_no, photo_id=answer["id"],
                                          size="thumb")}, 201
    return redirect(url_for("warehouse.pack", order_no=order_no), 303)


@bp.get("/orders/<order_no>/photos/<int:photo_id>")
@login_required
def photo(order_no, photo_id):
    """Serve a stored photo (or ?size=thumb) only to users who may see the order and its photos."""
    item = db.session.get(Photo, photo_id)
    try:
        order = orders.load(order_no, current_user)
    except OrderError:
        raise AppError(403, _l("You may not see photos of this order.")) from None
    if item is None or item.order_id != order.id:
        raise AppError(404)
    if not policy_for(current_user).can_read("photos"):
        raise AppError(403, _l("You may not see photos of this order."))
    try:
        stream = photos.open_file(item, request.args.get("size") == "thumb")
    except FileNotFoundError:
        raise AppError(404) from None
    resp = send_file(stream, mimetype="image/jpeg", max_age=86400)
    resp.headers["Cache-Control"] = "private, max-age=86400"
    return resp


@bp.post("/pack/<order_no>/outbound")
@login_required
def outbound(order_no):
    """Mark the order outbound (scan + photo, or a written reason instead of the scan)."""
    reason = request.form.get("reason", "")
    try:
        txn.run(lambda: services.mark_outbound(order_no, actor=current_user, via=request_via(), reason=reason),
                actor=current_user, via=request_via())
    except OrderError as exc:
        if wants_json() or exc.status in (403, 404):
            raise
        order = orders.load(order_no, current_user)
        message = services.shipped_by(order) if isinstance(exc, Conflict) else None
        return _pack_screen(order, error=message or exc.message, status=exc.status)
    return redirect(url_for("warehouse.done", order_no=order_no), 303)


@bp.post("/pack/<order_no>/note")
@login_required
def note(order_no):
    """Add a note from the pack screen (appended, version-checked and audited by the write service)."""
    from webapp.offline.notes import add_note
    try:
        txn.run(lambda: add_note(order_no, request.form.get("note", ""), actor=current_user, via=request_via()),
                actor=current_user, via=request_via())
    except (Invalid, Conflict) as exc:
        if wants_json():
            raise
        return _pack_screen(orders.load(order_no, current_user), error=exc.message, status=exc.status)
    return redirect(url_for("warehouse.pack", order_no=order_no), 303)


@bp.get("/pack/<order_no>/done")
@login_required
def done(order_no):
    """Show the done screen: outbound, by whom, photos and scan; scan next or hand over."""
    order = orders.load(order_no, current_user)
    ctx = services.pack_view(order, current_user)
    step = services.outbound_step(order)
    return render_screen("pages/warehouse/done.html", who=step[0] if step else None, **ctx)


@bp.route("/pack/<order_no>/handover", methods=["GET", "POST"])
@login_required
def handover(order_no):
    """Give the parcel to the courier: pick the carrier, scan or type the tracking number → in transit."""
    order = orders.load(order_no, current_user)
    form = {"carrier": request.form.get("carrier", ""), "tracking_no": request.form.get("tracking_no", "")}
    errors, status = {}, 200
    upload = request.files.get("photo")
    if request.method == "POST" and upload is not None and upload.filename:
        form["tracking_no"], errors = _tracking_from_photo(upload.read())
        status = 422 if errors else 200
    elif request.method == "POST":
        try:
            txn.run(lambda: services.hand_over(order_no, form["carrier"], form["tracking_no"],
                                               actor=current_user, via=request_via()), actor=current_user, via=request_via())
            return redirect(url_for("warehouse.done", order_no=order_no), 303)
        except Invalid as exc:
            errors, status = exc.errors, exc.status
        except OrderError as exc:
            errors, status = {"_": exc.message}, exc.status
    return render_screen("pages/warehouse/handover.html", order=order, form=form, errors=errors,
                         carriers=services.CARRIERS, status=status)


def _tracking_from_photo(data: bytes) -> tuple[str, dict]:
    if len(data) > _photo_limit():
        raise photos.too_large(_photo_limit())
    texts = images.read_codes(data, images.COURIER)
    if not texts:
        return "", {"tracking_no": _l("Could not read a barcode — hold the phone closer and avoid glare.")}
    return texts[0], {}


from webapp.warehouse import printing  # noqa: E402,F401  (adds the print routes to bp)
