"""Login and logout; every request's session is checked against the server's session table."""
from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webapp.audit.hooks import login_failed
from webapp.auth import services, sessions, throttle
from webapp.auth.forms import LoginForm
from webapp.auth.models import User
from webapp.auth.redirects import safe_next
from webapp.core.render import render_screen
from webapp.extensions import db, login_manager

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"
SESSION_KEY = "sid"  # the session token in Flask's signed cookie; the table holds its hash


@login_manager.user_loader
def load_user(user_id: str):
    """Load the user behind a live server-side session; ended, idle or expired sessions load nobody."""
    try:
        uid, epoch = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    row = sessions.resume(session.get(SESSION_KEY), uid)
    if row is None:
        return None
    user = row.user
    if user.session_epoch != epoch or not user.is_active:
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


def client_ip() -> str:
    """Return the client's address as the server sees it (proxy headers only via a configured ProxyFix)."""
    return request.remote_addr or "unknown"


def _device(username: str) -> str | None:
    return throttle.device_for(request.cookies.get(throttle.DEVICE_COOKIE), username.strip().lower())


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form; check credentials, slowing down only the client that keeps failing."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("home.index"))
    form = LoginForm()
    status, error, wait = 200, None, 0
    if form.validate_on_submit():
        name, device = form.username.data, _device(form.username.data)
        wait = throttle.wait_seconds(name, client_ip(), device)
        if wait:
            throttle.record_attempt(name, client_ip(), "throttled", device)
            login_failed(name, "throttled")
            db.session.commit()
            status, error = 429, _("Too many failed attempts. Try again in %(s)d seconds.", s=wait)
        else:
            user, outcome = services.authenticate(name, form.password.data, client_ip(), device)
            token = sessions.start(user, request.headers.get("User-Agent", ""), client_ip()) if user else None
            if user is None:
                login_failed(name, outcome)
            db.session.commit()
            if user:
                return _start_session(user, token)
            status = 401
            error = (_("This account is disabled. Ask an administrator.") if outcome == "disabled"
                     else _("Wrong username or password."))
    elif request.method == "POST":
        status = 400
    resp = render_screen("pages/auth/login.html", form=form, error=error, status=status)
    if status == 429:
        resp.headers["Retry-After"] = str(wait)
    return resp


def _start_session(user: User, token: str):
    """Start a fresh session (new token, nothing carried over), mark this device, go where the user was headed."""
    target = safe_next(request.args.get("next"), url_for("home.index"))
    lang = session.get("lang")
    session.clear()
    session[SESSION_KEY] = token
    if lang:
        session["lang"] = lang
    login_user(user)
    resp = redirect(target)
    resp.set_cookie(throttle.DEVICE_COOKIE, throttle.device_cookie(request.cookies.get(throttle.DEVICE_COOKIE),
                                                                   user.username),
                    max_age=throttle.DEVICE_DAYS * 86400, path=url_for("auth.login"), httponly=True,
                    samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return resp


@bp.post("/logout")
@login_required
def logout():
    """End the session on the server too (a copied cookie stops working); the page clears the offline copy."""
    row = sessions.find(session.get(SESSION_KEY))
    if row is not None:
        sessions.end(row, "logout")
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login", logged_out=1))
