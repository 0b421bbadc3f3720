"""Health check and language switch."""
from flask import Blueprint, jsonify, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import text

from webapp.core import storage
from webapp.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    """Report whether the app, its database and its photo store answer (503 naming what does not)."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        database = "ok"
    except Exception:
        db.session.rollback()
        database = "unreachable"
    try:
        storage.store().check()
        uploads = "ok"
    except (storage.StoreError, OSError, ValueError):
        uploads = "error"
    if database == "ok" and uploads == "ok":
        return jsonify(status="ok", db="ok")  # exactly the contract's answer
    return jsonify(status="error", db=database, uploads=uploads), 503


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
