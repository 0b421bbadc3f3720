"""Health check and language switch."""
from flask import Blueprint, jsonify, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import text

from webapp.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    """Report whether the app and its database answer."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="error", db="unreachable"), 503
    return jsonify(status="ok", db="ok")


@bp.post("/lang")
def set_lang():
    """Switch the interface language and remember it for a logged-in user."""
    choice = request.form.get("lang")
    if choice in ("zh_CN", "en"):
        from flask import session
        session["lang"] = choice
        if current_user.is_authenticated:
            current_user.locale = choice
            db.session.commit()
    return redirect(request.referrer or url_for("home.index"))
