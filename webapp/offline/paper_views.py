"""Paper fallback and recovery routes: print reserved-number forms, land on a form's QR, the admin checklist."""
from datetime import timedelta

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from webapp.access.policy import policy_for, require
from webapp.audit.models import AuditEntry
from webapp.core.db import utcnow
from webapp.core.origin import external_url
from webapp.core.render import render_screen
from webapp.extensions import db
from webapp.offline import paper
from webapp.offline.models import IdempotencyKey, ReservedNumber
from webapp.offline.pdf import forms_pdf
from webapp.offline.views import bp
from webapp.orders import txn
from webapp.orders.errors import OrderError
from webapp.orders.models import Order

PAPER_FIELDS = ("customer_name", "customer_phone", "address", "discount", "shipping_fee", "shipping_paid_by", "notes")


def _may_print(user) -> bool:
    """Paper forms are for the roles that hold the paper_form action."""
    return policy_for(user).can("paper_form")


def _pdf_response(batch: str, rows):
    forms = [{"order_no": r.order_no, "batch": batch, "reserved_at": paper.local_time(r.reserved_at),
              "url": _landing(r.order_no), "qr_png": paper.qr_png(_landing(r.order_no))} for r in rows]
    out = current_app.response_class(forms_pdf(forms), mimetype="application/pdf")
    out.headers["Content-Disposition"] = f'attachment; filename="orderhub-paper-{batch}.pdf"'
    out.headers["Cache-Control"] = "no-store"
    return out


def _landing(order_no: str) -> str:
    return external_url("offline.paper_landing", order_no=order_no, s=paper.sign(order_no))


@bp.route("/offline/paper", methods=["GET", "POST"])
@login_required
def paper_forms():
    """Show the paper-form page; on POST reserve N numbers and download their forms as a PDF."""
    if not _may_print(current_user):
        abort(403)
    if request.method == "POST":
        try:
            count = int(request.form.get("count", "10"))
        except ValueError:
            count = 0
        if not 1 <= count <= paper.MAX_FORMS:
            flash(_("Choose between 1 and %(n)d forms.", n=paper.MAX_FORMS), "error")
            return redirect(url_for("offline.paper_forms"))
        batch, _numbers = paper.reserve(count, actor=current_user)
        db.session.commit()
        return _pdf_response(batch, paper.batch_numbers(batch))
    batches = db.session.execute(
        select(ReservedNumber.batch, func.count(), func.min(ReservedNumber.order_no), func.max(ReservedNumber.order_no),
               func.count(ReservedNumber.used_at))
        .where(ReservedNumber.reserved_by == current_user.id).group_by(ReservedNumber.batch)
        .order_by(ReservedNumber.batch.desc()).limit(10)).all()
    return render_screen("pages/offline/paper.html", batches=batches, max_forms=paper.MAX_FORMS)


@bp.get("/offline/paper/<batch>.pdf")
@login_required
def paper_reprint(batch: str):
    """Print a batch again (the same reserved numbers; nothing new is reserved)."""
    rows = paper.batch_numbers(batch)
    if not rows or not _may_print(current_user) or (
            rows[0].reserved_by != current_user.id and not policy_for(current_user).can("admin_console")):
        abort(404)
    return _pdf_response(batch, rows)


def _reserved(order_no: str) -> ReservedNumber:
    """Return the reserved number a paper form's signed QR names, else answer 404."""
    row = db.session.get(ReservedNumber, order_no)
    if row is None or not paper.signature_ok(order_no, request.args.get("s")):
        abort(404)
    return row


@bp.get("/offline/p/<order_no>")
@login_required
def paper_landing(order_no: str):
    """Where a paper form's QR leads: the order if already entered, else the form to enter it once."""
    row = _reserved(order_no)
    if row.used_at is not None:
        flash(_("Paper order %(no)s was entered already; here it is.", no=order_no), "info")
        return redirect(_order_url(order_no))
    return render_screen("pages/offline/paper_entry.html", order_no=order_no, sig=request.args.get("s"), form={},
                         error=None)


def _order_url(order_no: str) -> str:
    if "orders.show" in current_app.view_functions:
        return url_for("orders.show", order_no=order_no)
    return url_for("offline.order", no=order_no)


@bp.get("/offline/recovery")
@login_required
def recovery():
    """The admin's checklist after an outage, with the figures that tell whether recovery is done."""
    require("admin_console")
    day_ago = utcnow() - timedelta(hours=24)
    figures = {
        "offline_writes": db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.via == "offline", AuditEntry.at >= day_ago)),
        "replayed_keys": db.session.scalar(select(func.count()).select_from(IdempotencyKey).where(
            IdempotencyKey.created_at >= day_ago)),
        "stuck_keys": db.session.scalar(select(func.count()).select_from(IdempotencyKey).where(
            IdempotencyKey.status.is_(None))),
        "paper_orders": db.session.scalar(select(func.count()).select_from(Order).where(
            Order.channel == "offline_form", Order.created_at >= day_ago)),
    }
    return render_screen("pages/offline/recovery.html", figures=figures, outstanding=paper.outstanding())


def _typed_items(form) -> list[dict]:
    items = []
    for i in range(20):
        sku = (form.get(f"items-{i}-sku") or "").strip()
        if sku:
            items.append({"sku": sku, "quantity": form.get(f"items-{i}-quantity") or "1"})
    return items


@bp.post("/offline/p/<order_no>")
@login_required
def paper_enter(order_no: str):
    """Create the paper order with its reserved number (exactly once)."""
    row = _reserved(order_no)
    raw = {k: request.form.get(k, "") for k in PAPER_FIELDS if k in request.form}
    try:
        txn.run(lambda: paper.enter(order_no, raw, _typed_items(request.form), actor=current_user, via="web"),
                actor=current_user, via="web")
    except OrderError as exc:
        if exc.status == 409:
            return redirect(url_for("offline.paper_landing", order_no=order_no, s=request.args.get("s")))
        message = str(exc.message)
        if getattr(exc, "errors", None):
            message += " " + " ".join(f"{k}: {v}" for k, v in sorted(exc.errors.items()))
        return render_screen("pages/offline/paper_entry.html", status=exc.status, order_no=order_no,
                             sig=request.args.get("s"), form=request.form, error=message)
    flash(_("Paper order %(no)s saved.", no=order_no), "success")
    return redirect(_order_url(order_no))
