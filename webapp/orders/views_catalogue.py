"""The product catalogue in the browser, for the roles allowed to manage it."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from webapp.access.policy import require
from webapp.core.render import render_screen
from webapp.extensions import db
from webapp.orders import catalogue
from webapp.orders.views import bp

REASONS = {
    "sku": _l("The SKU must be 1 to 32 characters."),
    "name": _l("Enter a name (at most 128 characters)."),
    "exists": _l("This SKU already exists."),
    "missing": _l("This SKU does not exist."),
    "figures": _l("Price and cost must be amounts with at most two decimals."),
}


def _guard() -> None:
    require("catalogue")


def _page(error=None, form=None, status: int = 200):
    q = request.args.get("q", "")
    products = catalogue.search_products(q, limit=200, include_inactive=True)
    return render_screen("pages/orders/products.html", "partials/orders/_products.html", products=products,
                         q=q, error=error, form=form or {}, status=status)


@bp.get("/products")
@login_required
def products():
    """List and search the catalogue, with a form to add a product."""
    _guard()
    return _page()


@bp.post("/products")
@login_required
def product_create():
    """Add a product; a duplicate SKU or a bad figure is shown, nothing saved."""
    _guard()
    form = request.form
    try:
        catalogue.create_product(form.get("sku", ""), form.get("name", ""), form.get("price", ""),
                                 form.get("cost", ""))
        db.session.commit()
    except catalogue.ProductError as exc:
        db.session.rollback()
        return _page(error=REASONS.get(exc.code, str(exc)), form=form, status=422)
    flash(_("Product %(sku)s added.", sku=form.get("sku", "").strip().upper()), "success")
    return redirect(url_for("orders.products"), 303)


@bp.post("/products/<sku>")
@login_required
def product_update(sku):
    """Change a product's name, price, cost or active flag (sold lines keep their prices)."""
    _guard()
    form = request.form
    try:
        catalogue.update_product(sku, form.get("name", ""), form.get("price", ""), form.get("cost", ""),
                                 form.get("active") == "1")
        db.session.commit()
    except catalogue.ProductError as exc:
        db.session.rollback()
        return _page(error=REASONS.get(exc.code, str(exc)), status=422)
    flash(_("Product %(sku)s saved.", sku=sku.upper()), "success")
    return redirect(url_for("orders.products"), 303)
