"""API errors as RFC 9457 problem documents that also carry the contract's `error`, `message`, `fields`.

Installed on the API blueprint only: the rest of the app keeps its pages and plain JSON errors.
Validation errors (webargs/marshmallow) and service refusals both name the fields to fix.
"""
import contextlib
import re

from flask import Blueprint, current_app, jsonify
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from webapp.core.errors import MESSAGES, AppError
from webapp.extensions import db

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://orderhub.invalid/problems/"  # stable identifiers, documented at /api/v1/docs
TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
          409: "Conflict", 412: "Precondition Failed", 413: "Content Too Large", 415: "Unsupported Media Type",
          422: "Unprocessable Content", 428: "Precondition Required", 429: "Too Many Requests",
          500: "Internal Server Error", 503: "Service Unavailable"}
FORM_NAME = re.compile(r"^(items)-(\d+)-(\w+)$")


def problem(status: int, message=None, code: str | None = None, fields=(), errors: dict | None = None,
            headers: dict | None = None):
    """Build a problem+json response; `fields` name what to fix, `errors` say why per field."""
    default_code, default_message = MESSAGES.get(status, MESSAGES[500])
    code = code or default_code
    body = {"type": TYPE_BASE + code, "title": TITLES.get(status, "Error"), "status": status,
            "detail": str(message or default_message), "error": code, "message": str(message or default_message),
            "fields": [api_name(f) for f in fields or ()]}
    if errors:
        body["errors"] = {api_name(k): str(v) for k, v in errors.items()}
    resp = jsonify(body)
    resp.status_code = status
    resp.mimetype = MEDIA_TYPE
    resp.headers.update(headers or {})
    return resp


def api_name(field: str) -> str:
    """Name a field as a JSON client sees it: the form's items-0-sku is items.0.sku."""
    match = FORM_NAME.match(str(field))
    return ".".join(match.groups()) if match else str(field)


def flatten(messages, prefix: str = "") -> dict:
    """Turn webargs' nested {location: {field: [msg]}} into {"field.sub": "msg; msg"}."""
    out = {}
    for key, value in (messages or {}).items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out |= flatten(value, name)
        else:
            out[name] = "; ".join(str(v) for v in (value if isinstance(value, list) else [value]))
    return out


def _from_http(exc: HTTPException):
    data = getattr(exc, "data", None) or {}
    if "messages" in data:  # a request that failed its schema: name each field (without its location)
        by_location = data["messages"]
        errors = {}
        for location, fields in by_location.items():
            errors |= flatten(fields) if isinstance(fields, dict) else {location: "; ".join(map(str, fields))}
        status = exc.code or 422
        return problem(status, _("The request does not match the schema; see `errors`."),
                       "invalid_json" if status == 400 else "invalid", sorted(errors), errors)
    status = exc.code or 500
    fields = ["body"] if status in (413, 415) else []
    return problem(status, None, None, fields, headers=data.get("headers"))


def reshape(resp):
    """Give a plain JSON error from an app-wide hook (Idempotency-Key) the problem document's form."""
    if resp.status_code < 400 or resp.mimetype != "application/json":
        return resp
    body = resp.get_json(silent=True)
    if not isinstance(body, dict) or "error" not in body:
        return resp
    headers = {k: v for k, v in resp.headers.items() if k.lower() in ("retry-after", "www-authenticate")}
    return problem(resp.status_code, body.get("message"), body["error"], body.get("fields") or [], headers=headers)


def register(bp: Blueprint) -> None:
    """Answer every error raised under `bp` as a problem document."""
    bp.after_request(reshape)
    @bp.errorhandler(AppError)
    def _app_error(exc):
        db.session.rollback()
        return problem(exc.status, exc.message, exc.code, exc.fields, getattr(exc, "errors", None))

    @bp.errorhandler(HTTPException)
    def _http(exc):
        return _from_http(exc)

    @bp.errorhandler(Exception)
    def _crash(exc):
        from webapp.core.errors import is_outage
        if is_outage(exc):  # the database is restarting: retry later, nothing was saved
            current_app.logger.warning("database unavailable: answered 503")
            with contextlib.suppress(Exception):
                db.session.rollback()
            return problem(503, None, "unavailable", headers={"Retry-After": "5"})
        current_app.logger.exception("unhandled API error")
        db.session.rollback()
        return problem(500)
