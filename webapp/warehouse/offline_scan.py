"""The offline queue's label scan for one order (the offline copy names this route; the warehouse checks it):
the photo must show that order's own label, else a named refusal."""
from flask import current_app, jsonify, redirect, request, url_for
from flask_login import current_user, login_required

from webapp.core.errors import AppError
from webapp.core.origin import request_via
from webapp.core.render import wants_json
from webapp.extensions import db
from webapp.warehouse import images, photos
from webapp.warehouse import services as warehouse
from webapp.warehouse.views import UNREADABLE, bp


@bp.post("/offline/orders/<order_no>/scan")
@login_required
def offline_scan(order_no: str):
    """Record the scan of this order's label from a photo (field `photo`) taken offline as outbound evidence."""
    limit = min(current_app.config["PHOTO_MAX_BYTES"], current_app.config["MAX_CONTENT_LENGTH"])
    upload = request.files.get("photo")
    data = upload.read() if upload is not None else b""
    if len(data) > limit:
        raise photos.too_large(limit)
    texts = images.read_codes(data) if data else []
    if not texts:
        raise AppError(422, UNREADABLE, "unreadable")
    order = warehouse.open_code(texts[0], actor=current_user, secret=current_app.config["SECRET_KEY"],
                                method="photo", via=request_via(), expect=order_no)
    db.session.commit()
    if wants_json():
        return jsonify(order_no=order.order_no, status="scanned"), 201
    return redirect(url_for("warehouse.pack", order_no=order.order_no), 303)
