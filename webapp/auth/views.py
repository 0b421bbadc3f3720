"""Login and logout."""
import secrets

from flask import Blueprint, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webapp.audit.hooks import login_failed
from webapp.auth import services
from webapp.auth.forms import LoginForm
from webapp.auth.models import User
from webapp.core.render import render_screen
from webapp.extensions import db, login_manager

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str):
    """Load the user behind a session; a bumped session_epoch ends old sessions."""
    try:
        uid, epoch = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or user.session_epoch != epoch or not user.is_active:
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    """Send browsers to the login page and JSON clients a 401."""
    from webapp.core.errors import error_response
    from webapp.core.render import wants_json
    if wants_json():
        return error_response(401)
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def _client_ip() -> str:
    return request.remote_addr or "unknown"


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form; check credentials with growing delays after failures."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("home.index"))
    form = LoginForm()
    status, error = 200, None
    if form.validate_on_submit():
        wait = services.login_wait_seconds(form.username.data, _client_ip())
        if wait:
            services.record_attempt(form.username.data, _client_ip(), "throttled")
            login_failed(form.username.data, "throttled")
            db.session.commit()
            status, error = 429, _("Too many failed attempts. Try again in %(s)d seconds.", s=wait)
        else:
            user, outcome = services.authenticate(form.username.data, form.password.data, _client_ip())
            if user is None:
                login_failed(form.username.data, outcome)
            db.session.commit()
            if user:
                return _start_session(user)
            status = 401
            error = (_("This account is disabled. Ask an administrator.") if outcome == "disabled"
                     else _("Wrong username or password."))
    elif request.method == "POST":
        status = 400
    resp = render_screen("pages/auth/login.html", form=form, error=error, status=status)
    if status == 429:
        resp.headers["Retry-After"] = str(wait)
    return resp


def _start_session(user: User):
    """Start a fresh session (new id, nothing carried over) and go where the user was headed."""
    target = _safe_next(request.args.get("next"))
    lang = session.get("lang")
    session.clear()
    session["sid"] = secrets.token_urlsafe(16)
    if lang:
        session["lang"] = lang
    login_user(user)
    return redirect(target)


@bp.post("/logout")
@login_required
def logout():
    """End the session; the page then clears the device's offline copy."""
    logout_user()
    session.clear()
    return redirect(url_for("auth.login", logged_out=1))
