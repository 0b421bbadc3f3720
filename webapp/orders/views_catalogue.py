"""The product catalogue in the browser, for the roles allowed to manage it; every change is audited."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.access.policy import current_policy, require
from webapp.core.origin import request_via
from webapp.core.render import render_screen
from webapp.extensions import db
from webapp.orders import catalogue
from webapp.orders.models import Product
from webapp.orders.views import bp

REASONS = {
    "sku": _l("The SKU must be 1 to 32 characters."),
    "name": _l("Enter a name (at most 128 characters)."),
    "exists": _l("This SKU already exists."),
    "missing": _l("This SKU does not exist."),
    "figures": _l("Price and cost must be amounts with at most two decimals."),
    "price": _l("You may not change prices or costs."),
}


def _guard() -> None:
    require("catalogue")


def _may_price() -> bool:
    """Say whether the user holds catalogue_price (changing a price or cost, adding a priced product)."""
    policy = current_policy()
    return policy is not None and policy.can("catalogue_price")


def _page(error=None, form=None, status: int = 200):
    q = request.args.get("q", "")
    products = catalogue.search_products(q, limit=200, include_inactive=True)
    return render_screen("pages/orders/products.html", "partials/orders/_products.html", products=products,
                         q=q, error=error, form=form or {}, status=status, may_price=_may_price())


def _product_page(product, error=None, status: int = 200):
    return render_screen("pages/orders/product.html", product=product, error=error, status=status,
                         may_price=_may_price(), history=catalogue.product_history(product.sku))


@bp.get("/products")
@login_required
def products():
    """List and search the catalogue, with a form to add a product."""
    _guard()
    return _page()


@bp.post("/products")
@login_required
def product_create():
    """Add a product (needs catalogue_price too); a duplicate SKU or a bad figure is shown, nothing saved."""
    _guard()
    require("catalogue_price")
    form = request.form
    try:
        catalogue.create_product(form.get("sku", ""), form.get("name", ""), form.get("price", ""),
                                 form.get("cost", ""), actor=current_user, via=request_via())
        db.session.commit()
    except catalogue.ProductError as exc:
        db.session.rollback()
        return _page(error=REASONS.get(exc.code, str(exc)), form=form, status=422)
    flash(_("Product %(sku)s added.", sku=form.get("sku", "").strip().upper()), "success")
    return redirect(url_for("orders.products"), 303)


@bp.get("/products/<sku>")
@login_required
def product_show(sku):
    """Show one product's form and its history (every audited change: who, when, old → new)."""
    _guard()
    product = db.session.scalar(select(Product).where(Product.sku == sku.strip().upper()))
    if product is None:
        abort(404)
    return _product_page(product)


@bp.post("/products/<sku>")
@login_required
def product_update(sku):
    """Change a product's name, price, cost or active flag (price and cost need catalogue_price)."""
    _guard()
    form = request.form
    try:
        product = catalogue.update_product(sku, form.get("name", ""), form.get("price", ""), form.get("cost", ""),
                                           form.get("active") == "1", actor=current_user, via=request_via(),
                                           may_price=_may_price())
        db.session.commit()
    except catalogue.ProductError as exc:
        db.session.rollback()
        return _page(error=REASONS.get(exc.code, str(exc)), status=403 if exc.code == "price" else 422)
    flash(_("Product %(sku)s saved.", sku=product.sku), "success")
    return redirect(url_for("orders.product_show", sku=product.sku), 303)
