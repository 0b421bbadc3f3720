"""Error pages in the user's language, or JSON errors when the client wants JSON."""
import contextlib

from flask import Flask, jsonify, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from webapp.core.render import wants_json

MESSAGES = {
    400: ("bad_request", _l("The request could not be understood. Please check what you entered.")),
    401: ("unauthorized", _l("Please log in first.")),
    403: ("forbidden", _l("You are not allowed to do this.")),
    404: ("not_found", _l("This page or record does not exist.")),
    405: ("method_not_allowed", _l("This action is not available here.")),
    409: ("conflict", _l("Someone changed this in the meantime. Reload and try again.")),
    413: ("too_large", _l("What you sent is too large.")),
    422: ("invalid", _l("Some of what you entered is not valid.")),
    429: ("too_many_requests", _l("Too many attempts. Please wait a moment and try again.")),
    500: ("server_error", _l("Something went wrong on our side. Nothing was saved; please try again.")),
    503: ("unavailable", _l("The service is temporarily unavailable.")),
}


class AppError(Exception):
    """An expected failure with a status, a user-facing message and optional field names."""

    def __init__(self, status: int, message=None, code: str | None = None, fields=None):
        super().__init__(str(message or ""))
        self.status, self.message, self.code, self.fields = status, message, code, fields


def error_response(status: int, message=None, code: str | None = None, fields=None):
    """Answer an error as JSON or as a page, with a translated message."""
    default_code, default_msg = MESSAGES.get(status, MESSAGES[500])
    text = str(message or default_msg)
    if wants_json():
        body = {"error": code or default_code, "message": text, "fields": list(fields or [])}
        return jsonify(body), status
    return render_template("pages/errors/error.html", status=status, message=text), status


def register(app: Flask) -> None:
    """Install the handlers for HTTP errors, CSRF failures and crashes."""

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return error_response(400, _l("Your session expired or the form is stale. Reload the page and try again."),
                              code="csrf_failed")

    @app.errorhandler(AppError)
    def _app_error(exc):
        return error_response(exc.status, exc.message, exc.code, exc.fields)

    @app.errorhandler(HTTPException)
    def _http(exc):
        return error_response(exc.code or 500)

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def _database(exc):
        if lost_race(exc):  # a deadlock or serialisation failure: another write went first, nothing was saved
            app.logger.warning("write lost a race (%s): answered 409", type(getattr(exc, "orig", exc)).__name__)
            from webapp.extensions import db
            with contextlib.suppress(Exception):
                db.session.rollback()
            return error_response(409, _l("Someone changed this at the same moment; nothing was saved. "
                                          "Please try again."), "retry")
        if not is_outage(exc):
            return _crash(exc)
        return database_unavailable(app)

    @app.errorhandler(Exception)
    def _crash(exc):
        app.logger.exception("unhandled error")
        from webapp.extensions import db
        db.session.rollback()
        return error_response(500)


LOST_RACE = ("40001", "40P01")  # PostgreSQL: serialisation failure, deadlock detected


def lost_race(exc: Exception) -> bool:
    """Say whether the database refused a write because a concurrent one won (retrying is the remedy)."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in LOST_RACE


def is_outage(exc: Exception) -> bool:
    """Say whether an error means the database is unreachable or restarting (not a bug)."""
    from sqlalchemy.exc import InterfaceError, OperationalError
    if isinstance(exc, PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and (exc.connection_invalidated or
                                            isinstance(exc, (OperationalError, InterfaceError)))


def database_unavailable(app: Flask):
    """Answer 503 with Retry-After while the database is away: nothing was saved. The page needs
    neither the database nor the logged-in user (both would fail again), so it is bilingual."""
    app.logger.warning("database unavailable: answered 503")
    from webapp.extensions import db
    with contextlib.suppress(Exception):
        db.session.rollback()
    if wants_json():
        resp = jsonify({"error": "unavailable", "fields": [],
                        "message": "数据库暂时不可用，没有保存任何内容，请几秒后重试。 The database is briefly "
                                   "unavailable; nothing was saved. Please try again in a few seconds."})
    else:
        resp = app.make_response(render_template("pages/errors/unavailable.html"))
    resp.status_code = 503
    resp.headers["Retry-After"] = "5"
    return resp
