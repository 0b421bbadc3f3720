"""Case photos (add, serve behind the permission check), the refund amount of an open case, refunds exports."""
from flask import Response, abort, flash, redirect, request, send_file, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.access.policy import policy_for
from webapp.aftersales import photos, refunds_export, services
from webapp.aftersales.models import CasePhoto
from webapp.aftersales.views import _show, bp
from webapp.core.errors import AppError
from webapp.core.origin import request_via
from webapp.core.render import render_screen
from webapp.core.periods import BadRange, parse_range, today
from webapp.extensions import db
from webapp.orders import txn
from webapp.orders.errors import Invalid, OrderError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.post("/aftersales/<int:case_id>/photos")
@login_required
def add_photo(case_id):
    """Attach photos to a case (file field `photo`, several allowed); back to the case."""
    services.load_case(case_id, current_user)  # 404 before any picture is decoded
    if not photos.may_add(policy_for(current_user)):
        abort(403)
    uploads = [f for f in request.files.getlist("photo") if f and f.filename]
    db.session.rollback()  # hold no database lock while pictures are decoded
    try:
        if not uploads:
            raise Invalid({"photo": _("No photo was sent. Tap “Take photo” and try again.")})
        prepared = [photos.prepare(f.read(), limit_bytes=photos.limit_bytes()) for f in uploads]
        via = request_via()

        def write():
            case, order = services.load_case(case_id, current_user)
            return [photos.add(case, order, item, actor=current_user, via=via) for item in prepared]
        txn.run(write, actor=current_user, via=via)
    except Invalid as exc:
        return _show(case_id, error=" ".join(str(m) for m in exc.errors.values()), status=422)
    except AppError as exc:  # not a picture, too large, image slots busy, or a refusal (403)
        if exc.status == 404:
            raise
        return _show(case_id, error=exc.message, status=exc.status)
    flash(_("Photo added."), "success")
    return redirect(url_for("aftersales.show", case_id=case_id), 303)


@bp.get("/aftersales/<int:case_id>/photos/<int:photo_id>")
@login_required
def photo(case_id, photo_id):
    """Serve a case photo (or ?size=thumb) only to users who see the case's order and may see photos."""
    if not photos.may_view(policy_for(current_user)):
        abort(403)
    case, _order = services.load_case(case_id, current_user)
    item = db.session.get(CasePhoto, photo_id)
    if item is None or item.case_id != case.id:
        abort(404)
    try:
        stream = photos.open_file(item, request.args.get("size") == "thumb")
    except FileNotFoundError:
        abort(404)
    resp = send_file(stream, mimetype="image/jpeg", max_age=86400)
    resp.headers["Cache-Control"] = "private, max-age=86400"
    return resp


@bp.post("/aftersales/<int:case_id>/refund")
@login_required
def set_refund(case_id):
    """Set the refund amount of an open case (form fields `refund_amount`, `version`)."""
    via = request_via()
    try:
        txn.run(lambda: services.set_refund(case_id, request.form.get("refund_amount", ""), actor=current_user,
                                            via=via, version=request.form.get("version")), actor=current_user, via=via)
    except Invalid as exc:
        return _show(case_id, error=" ".join(str(m) for m in exc.errors.values()), status=422)
    except OrderError as exc:
        if exc.status == 404:
            raise
        return _show(case_id, error=exc.message, status=exc.status)
    flash(_("Refund amount saved."), "success")
    return redirect(url_for("aftersales.show", case_id=case_id), 303)


def _export_period():
    """Return (period, policy) of a refunds export, or answer 403 / 400 with the reason."""
    policy = policy_for(current_user)
    if not refunds_export.may_export(policy):
        abort(403)
    try:
        period = parse_range(request.args.get("from", ""), request.args.get("to", ""), today())
    except BadRange as exc:
        raise AppError(400, exc.args[0], "bad_range", ["from", "to"]) from None
    return period, policy


def _attachment(resp: Response, filename: str) -> Response:
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get("/aftersales/refunds.csv")
@login_required
def refunds_csv():
    """Download the refunds of ?from=&to= (local days) as CSV, streamed; readable fields only."""
    period, policy = _export_period()
    body = stream_with_context(refunds_export.csv_stream(period, current_user, policy))
    return _attachment(Response(body, mimetype="text/csv; charset=utf-8"), f"refunds-{period.first}-{period.last}.csv")


@bp.get("/aftersales/refunds.xlsx")
@login_required
def refunds_xlsx():
    """Download the refunds of ?from=&to= as an Excel workbook."""
    period, policy = _export_period()
    out = refunds_export.xlsx_file(period, current_user, policy)
    name = f"refunds-{period.first}-{period.last}.xlsx"
    return _attachment(send_file(out, mimetype=XLSX, download_name=name, as_attachment=True), name)


@bp.get("/aftersales/refunds")
@login_required
def refunds():
    """Show the refunds export form (a period, CSV or Excel)."""
    if not refunds_export.may_export(policy_for(current_user)):
        abort(403)
    now = today()
    return render_screen("pages/aftersales/refunds.html", first=now.replace(day=1), last=now)
