"""Order entry on a tablet: new order form, customer lookup by phone, SKU search, edit form."""
from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.access.policy import policy_for
from webapp.core.render import render_screen, wants_json
from webapp.extensions import db
from webapp.orders import catalogue, customers, forms, services, txn
from webapp.orders.errors import Invalid, OrderError
from webapp.core.labels import CHANNEL_LABELS, region_labels
from webapp.orders.models import Product
from webapp.orders.serialize import order_view, product_view
from webapp.core.origin import request_via
from webapp.orders.views import answer_refusal, bp, may_enter


def _lines_for_form(items: list[dict], policy) -> list[dict]:
    """Return typed lines with the catalogue's name and (readable) figures, for re-showing the form."""
    skus = {str(it.get("sku") or "").strip().upper() for it in items}
    known = {p.sku: p for p in db.session.scalars(select(Product).where(Product.sku.in_(skus)))}
    out = []
    for item in items:
        sku = str(item.get("sku") or "").strip().upper()
        base = product_view(known[sku], policy) if sku in known else {"sku": sku, "name": ""}
        out.append(base | {"quantity": item.get("quantity", "")})
    return out


def _entry_form(raw: dict, items: list[dict], errors=None, status: int = 200):
    policy = policy_for(current_user)
    return render_screen("pages/orders/new.html", raw=raw, lines=_lines_for_form(items, policy),
                         errors=errors or {}, policy=policy, channels=CHANNEL_LABELS, status=status)


@bp.get("/orders/new")
@login_required
def new():
    """Show the tablet order form."""
    if not may_enter(policy_for(current_user)):
        abort(403)
    return _entry_form({"channel": "web"}, [])


@bp.post("/orders")
@login_required
def create():
    """Save a new order; bad input re-shows the form with messages next to the fields, nothing saved."""
    raw, items, via = forms.order_fields(request.form), forms.order_items(request.form) or [], request_via()
    try:
        order = txn.run(lambda: services.submit_order(raw, items, actor=current_user, via=via),
                        actor=current_user, via=via)
    except Invalid as exc:
        if wants_json():
            raise
        return _entry_form(raw, items, exc.errors, status=422)
    return redirect(url_for("orders.show", order_no=order.order_no), 303)


@bp.get("/orders/customer")
@login_required
def customer_lookup():
    """Fill name and address from a known customer in the user's row scope (30 a minute); htmx partial."""
    policy = policy_for(current_user)
    if not may_enter(policy):
        abort(403)
    raw = {k: request.args.get(k, "") for k in ("customer_phone", "customer_name", "address")}
    wait = customers.wait_seconds(current_user.id)
    if wait:
        resp = render_screen("partials/orders/_customer.html", raw=raw, known=None, errors={}, policy=policy,
                             status=429, limited=_("Too many look-ups; wait %(s)s seconds and try again.", s=wait))
        resp.headers["Retry-After"] = str(wait)
        return resp
    known = customers.visible_customer(raw["customer_phone"], policy)  # the board's row scope, never more
    if known:
        raw["customer_name"] = raw["customer_name"] or known.name
        raw["address"] = raw["address"] or known.address
    return render_screen("partials/orders/_customer.html", raw=raw, known=known, errors={}, policy=policy)


@bp.get("/orders/skus")
@login_required
def sku_search():
    """List catalogue items matching what was typed (SKU prefix or part of the name); htmx partial."""
    policy = policy_for(current_user)
    if not policy.can_write("items"):
        abort(403)
    found = catalogue.search_products(request.args.get("q", ""))
    return render_screen("partials/orders/_sku_results.html",
                         products=[product_view(p, policy) for p in found], q=request.args.get("q", ""))


def _edit_form(order, raw=None, errors=None, status: int = 200):
    policy = policy_for(current_user)
    view = order_view(order, policy)
    writable = [f for f in policy.readable if policy.can_write(f) and not policy.locked(order, [f])]
    items = [{"sku": ln["sku"], "quantity": ln["quantity"]} for ln in view.get("items", [])]
    if raw is not None:
        items = raw.pop("_items", None) or items
    return render_screen("pages/orders/edit.html", order=view, raw=raw or {}, writable=writable,
                         lines=_lines_for_form(items, policy), errors=errors or {}, policy=policy,
                         channels=CHANNEL_LABELS, regions=region_labels(), status=status)


@bp.get("/orders/<order_no>/edit")
@login_required
def edit(order_no):
    """Show the fields of this order the user may change now."""
    return _edit_form(services.load(order_no, current_user))


@bp.post("/orders/<order_no>/edit")
@login_required
def update(order_no):
    """Apply any subset of fields (+ version); unwritable field → 403, stale version → 409."""
    raw, items, via = forms.order_fields(request.form), forms.order_items(request.form), request_via()
    try:
        txn.run(lambda: services.update_order(order_no, raw, items, version=forms.version_of(request.form),
                                              actor=current_user, via=via), actor=current_user, via=via)
    except Invalid as exc:
        if wants_json():
            raise
        return _edit_form(services.load(order_no, current_user), raw | {"_items": items}, exc.errors, 422)
    except OrderError as exc:
        return answer_refusal(order_no, exc)
    return redirect(url_for("orders.show", order_no=order_no), 303)
