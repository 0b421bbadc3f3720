"""Waybill screens: the status slot of the pack and done screens, asking (again), and the label PDF."""
from flask import Blueprint, make_response, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp.access.policy import policy_for
from webapp.core.errors import AppError
from webapp.core.render import is_htmx, render_screen
from webapp.extensions import db
from webapp.orders import services as orders
from webapp.orders.phones import mask_phone
from webapp.orders.serialize import order_view
from webapp.warehouse.printing import label_url

from webapp.carriers.waybills import label as pdf
from webapp.carriers.waybills import services
from webapp.carriers.waybills.adapters import Party, active, sender

bp = Blueprint("carrier_waybills", __name__)
LABEL_FIELDS = ("customer_name", "customer_phone", "address")


def slot(order) -> dict:
    """Return what the waybill slot shows: the request, a refusal in plain words, whether one may ask."""
    waybill = services.waybill_of(order)
    policy = policy_for(current_user)
    return {"order_no": order.order_no, "waybill": waybill, "problem": services.problem(waybill),
            "adapter": active(), "state": order.status,
            "may_ask": policy.can_write("tracking_no") and order.status == services.STOCK_READY,
            "may_print": all(policy.can_read(f) for f in LABEL_FIELDS)}


@bp.get("/carriers/waybills/<order_no>")
@login_required
def status(order_no):
    """Show the order's waybill: pending (the slot polls), its number and label, or the carrier's refusal."""
    order = orders.load(order_no, current_user)
    return render_screen("partials/carriers/_waybill.html", **slot(order))


@bp.post("/carriers/waybills/<order_no>")
@login_required
def ask(order_no):
    """Ask the carrier for a waybill (again, after a refusal); the worker sends it."""
    order = orders.load(order_no, current_user)
    if not policy_for(current_user).can_write("tracking_no"):
        raise AppError(403, _l("You may not request waybills."), "forbidden", ["tracking_no"])
    if order.status != services.STOCK_READY:
        raise AppError(409, _l("A waybill is requested once the order is outbound and before hand-over."), "state")
    if services.request(order) is None:
        raise AppError(409, _l("No carrier is set up for e-waybills; hand the parcel over by hand."), "no_adapter")
    db.session.commit()
    if is_htmx():
        return render_screen("partials/carriers/_waybill.html", **slot(order))
    return redirect(url_for("warehouse.done", order_no=order_no), 303)


@bp.get("/carriers/waybills/<order_no>/label.pdf")
@login_required
def label(order_no):
    """Send the 100 × 150 mm courier label of an order whose waybill was issued."""
    order = orders.load(order_no, current_user)
    policy = policy_for(current_user)
    waybill = services.waybill_of(order)
    if waybill is None or waybill.status != "ok":
        raise AppError(404, _l("This order has no waybill yet."), "no_waybill")
    view = order_view(order, policy)
    if any(f not in view for f in LABEL_FIELDS):
        raise AppError(403, _l("You may not print this order's label."), "forbidden")
    body = pdf.render({
        "carrier": waybill.carrier, "waybill_no": waybill.waybill_no, "order_no": order.order_no,
        "qr_url": label_url(order.order_no), "sender": sender(),
        "recipient": Party(view["customer_name"], mask_phone(view["customer_phone"] or ""), view["address"]),
        "items": [(ln["name"], ln["quantity"]) for ln in view.get("items", [])]})
    resp = make_response(body)
    resp.headers["Content-Type"] = "application/pdf"
    resp.headers["Content-Disposition"] = f'inline; filename="label-{order.order_no}.pdf"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
