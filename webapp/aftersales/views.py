"""After-sales pages (case list, open a case, a case and its steps) and the inquiry log's two-tap form."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.access.policy import policy_for
from webapp.aftersales import inquiries, panel, photos, refunds_export, services
from webapp.aftersales.models import AftersalesCase
from webapp.core.origin import request_via
from webapp.core.errors import AppError
from webapp.core.render import render_screen
from webapp.extensions import db
from webapp.orders import services as orders
from webapp.orders import txn
from webapp.orders.errors import Invalid, OrderError
from webapp.orders.models import Order
from webapp.orders.serialize import order_view
from webapp.vocab import CASE_KINDS, CASE_STATES, CASE_STEPS

bp = Blueprint("aftersales", __name__)


def _may_list(policy) -> bool:
    return policy.can("aftersales") or policy.can("refund_review")


@bp.get("/aftersales")
@login_required
def index():
    """List cases on orders the user may see, newest first, optionally of one state."""
    policy = policy_for(current_user)
    if not _may_list(policy):
        abort(403)
    status = request.args.get("status", "") if request.args.get("status", "") in CASE_STATES else ""
    stmt = policy.scope_filter(select(AftersalesCase, Order.order_no).join(Order, Order.id == AftersalesCase.order_id)
                               .where(Order.deleted_at.is_(None)), Order)
    if status:
        stmt = stmt.where(AftersalesCase.status == status)
    rows = db.session.execute(stmt.order_by(AftersalesCase.id.desc()).limit(100)).all()
    return render_screen("pages/aftersales/index.html", rows=rows, case_status=status, states=CASE_STATES,
                         limit=services.refund_limit(), see_amount=policy.can_read("refund_amount"),
                         may_export=refunds_export.may_export(policy))


def _form(order, errors=None, status=200, form=None):
    policy = policy_for(current_user)
    return render_screen("pages/aftersales/new.html", status=status, order=order_view(order, policy), kinds=CASE_KINDS,
                         line_ids=[ln.id for ln in order.lines], errors=errors or {}, form=form or {},
                         set_amount=policy.can_write("refund_amount"), max_photos=photos.MAX_PER_CASE)


@bp.get("/orders/<order_no>/aftersales/new")
@login_required
def new(order_no):
    """Show the form to open a case on an order the user may see."""
    if not policy_for(current_user).can("aftersales"):
        abort(403)
    return _form(orders.load(order_no, current_user))


def _picked(form) -> dict:
    out = {}
    for key, value in form.items():
        if key.startswith("line-") and value.strip():
            try:
                qty = int(value)
                if qty:
                    out[int(key[5:])] = qty
            except ValueError:
                raise Invalid({"lines": _("Quantities are whole numbers.")}) from None
    return out


def _prepared(files) -> list:
    """Check and re-encode the uploaded photos (file field `photo`, several allowed) before any write."""
    uploads = [f for f in files.getlist("photo") if f and f.filename]
    if len(uploads) > photos.MAX_PER_CASE:
        raise Invalid({"photo": _("A case holds at most %(n)s photos.", n=photos.MAX_PER_CASE)})
    db.session.rollback()  # hold no database lock while pictures are decoded
    return [photos.prepare(f.read(), limit_bytes=photos.limit_bytes()) for f in uploads]


def _open(order_no, form, prepared, via):
    case = services.open_case(order_no, form.get("kind", ""), _picked(form), form.get("words", ""),
                              form.get("refund_amount", ""), actor=current_user, via=via)
    order = db.session.get(Order, case.order_id)
    for item in prepared:
        photos.add(case, order, item, actor=current_user, via=via)
    return case


@bp.post("/orders/<order_no>/aftersales")
@login_required
def create(order_no):
    """Open a case (kind, lines concerned, the customer's words, refund amount, photos)."""
    form, via = request.form, request_via()
    orders.load(order_no, current_user)  # 404 / 403 before any picture is decoded
    if not policy_for(current_user).can("aftersales"):
        abort(403)
    try:
        prepared = _prepared(request.files)
    except OrderError as exc:  # too many photos
        return _form(orders.load(order_no, current_user), getattr(exc, "errors", {}), exc.status, form)
    except AppError as exc:  # a photo that is not a picture, too large, or the image slots are busy
        return _form(orders.load(order_no, current_user), {"photo": exc.message}, exc.status, form)
    try:
        case = txn.run(lambda: _open(order_no, form, prepared, via), actor=current_user, via=via)
    except Invalid as exc:
        return _form(orders.load(order_no, current_user), exc.errors, 422, form)
    flash(_("Case opened."), "success")
    return redirect(url_for("aftersales.show", case_id=case.id), 303)


def _show(case_id: int, error=None, status=200):
    case, order = services.load_case(case_id, current_user)
    policy = policy_for(current_user)
    names = {ln.id: f"{ln.sku} {ln.name}" for ln in order.lines} if policy.can_read("items") else {}
    steps = [to for source, to in CASE_STEPS if source == case.status and services.may_move(case, to, current_user)]
    linked = db.session.get(Order, case.linked_order_id) if case.linked_order_id else None
    see_amount = policy.can_read("refund_amount")
    return render_screen("pages/aftersales/show.html", status=status, case=case, order=order_view(order, policy),
                         names=names, steps=steps, linked=linked, error=error, limit=services.refund_limit(),
                         needs_review=see_amount and services.needs_review(case), see_amount=see_amount,
                         set_amount=case.status == "open" and policy.can_write("refund_amount"),
                         see_photos=photos.may_view(policy), add_photos=photos.may_add(policy)
                         and len(case.photos) < photos.MAX_PER_CASE)


@bp.get("/aftersales/<int:case_id>")
@login_required
def show(case_id):
    """Show one case: the order, lines concerned, the customer's words, its steps."""
    if not _may_list(policy_for(current_user)):
        abort(403)
    return _show(case_id)


@bp.post("/aftersales/<int:case_id>/step")
@login_required
def step(case_id):
    """Move the case one step (form fields `to`, `version`); refusals answer 4xx with the reason."""
    via = request_via()
    try:
        txn.run(lambda: services.move_case(case_id, request.form.get("to", ""), actor=current_user, via=via,
                                           version=request.form.get("version")), actor=current_user, via=via)
    except OrderError as exc:
        if exc.status == 404:
            raise
        return _show(case_id, error=exc.message, status=exc.status)
    flash(_("Case updated."), "success")
    return redirect(url_for("aftersales.show", case_id=case_id), 303)


@bp.post("/orders/<order_no>/inquiries")
@login_required
def log_inquiry(order_no):
    """Record a customer's call or message (reason, optional note) and go back to the order."""
    via = request_via()
    try:
        txn.run(lambda: inquiries.log_inquiry(order_no, request.form.get("reason", ""), request.form.get("note", ""),
                                              actor=current_user, via=via), actor=current_user, via=via)
    except Invalid as exc:
        flash(" ".join(str(m) for m in exc.errors.values()), "error")
        return redirect(url_for("orders.show", order_no=order_no), 303)
    flash(_("Inquiry recorded."), "success")
    return redirect(url_for("orders.show", order_no=order_no), 303)


@bp.get("/orders/<order_no>/aftersales-panel")
@login_required
def order_panel(order_no):
    """Render the order page's inquiries and cases (an htmx fragment; a plain page without htmx)."""
    order = orders.load(order_no, current_user)
    return render_screen("pages/aftersales/panel.html", "partials/aftersales/_panel_body.html",
                         order=order_view(order, policy_for(current_user)), panel=panel.for_order(order.id))
