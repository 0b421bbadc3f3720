"""The OpenAPI document and a readable reference rendered from it on the server (no CDN, no script)."""
from flask import Blueprint, current_app, jsonify, render_template

from webapp.api.spec import document

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")
METHODS = ("get", "post", "put", "patch", "delete")


@bp.get("/openapi.json")
def openapi_json():
    """Serve the OpenAPI 3.1 document generated from the request schemas."""
    return jsonify(document(current_app))


@bp.get("/docs")
def reference():
    """Render the API reference from the OpenAPI document."""
    spec = document(current_app)
    operations = [(path, method, op) for path, item in spec["paths"].items()
                  for method, op in item.items() if method in METHODS]
    return render_template("pages/api/docs.html", spec=spec, operations=operations,
                           schemas=spec.get("components", {}).get("schemas", {}))
