"""REST API v1 routes for the catalogue and customers (read only)."""
from flask import jsonify

from webapp.access.policy import policy_for
from webapp.api import listing
from webapp.api.auth import api_user
from webapp.api.schemas import CustomerPage, PhoneArgs, ProductPage
from webapp.api.views import bp
from webapp.orders.serialize import product_view


@bp.route("/products", methods=["GET"])
@bp.response(200, ProductPage)
def products():
    """List the active catalogue (unit_cost only for those who may read costs)."""
    policy = policy_for(api_user())
    rows = [product_view(p, policy) for p in listing.products()]
    return jsonify(data=[{k: (f"{v:.2f}" if k in ("unit_price", "unit_cost") else v) for k, v in row.items()}
                         for row in rows])


@bp.route("/customers", methods=["GET"])
@bp.arguments(PhoneArgs, location="query")
@bp.response(200, CustomerPage)
def customers(args):
    """Find a customer by phone (any format), among those with an order you may see."""
    return jsonify(data=listing.customers_by_phone(args["phone"], api_user()))
