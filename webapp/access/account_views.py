"""Second verification (password or TOTP) and enrolling an authenticator app; for every logged-in user."""
import base64
import io
from datetime import timedelta

import pyotp
import qrcode
from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from webapp.access import stepup as su
from webapp.access.forms import StepUpForm, TotpForm
from webapp.access.views import bp
from webapp.audit.models import AuditEntry
from webapp.audit.services import record
from webapp.auth.redirects import safe_next
from webapp.auth.services import check_password, claim_totp_step
from webapp.core.db import utcnow
from webapp.core.render import render_screen
from webapp.extensions import db

MAX_FAILURES, FAILURE_WINDOW = 5, timedelta(minutes=15)
PENDING = "totp_pending"


def _safe_next(target: str | None) -> str:
    return safe_next(target, url_for("home.index"))


def stepup_page(next_url: str, status: int = 200, message=None, form=None):
    """Render the re-authentication form that returns to next_url."""
    return render_screen("pages/access/stepup.html", form=form or StepUpForm(), next_url=_safe_next(next_url),
                         uses_totp=bool(current_user.totp_secret), message=message, status=status)


def _recent_failures(user) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.actor_id == user.id, AuditEntry.action == "stepup_failed",
        AuditEntry.at > utcnow() - FAILURE_WINDOW)) or 0


def _verify(user, form: StepUpForm) -> str | None:
    """Return the audit detail of a passed check (password, or TOTP for enrolled users), else None."""
    if user.totp_secret:
        counter = su.check_totp(user.totp_secret, form.code.data, user.totp_last_counter)
        if counter is None or not claim_totp_step(user, counter):  # conditional: once, also under concurrency
            return None
        return f"method=totp counter={counter}"
    return "method=password" if form.password.data and check_password(user, form.password.data) else None


@bp.route("/account/stepup", methods=["GET", "POST"])
def stepup():
    """Ask for the password (or a TOTP code) again; on success allow dangerous actions for 5 minutes."""
    form = StepUpForm()
    next_url = request.values.get("next")
    if request.method == "GET" or not form.validate_on_submit():
        return stepup_page(next_url, status=200 if request.method == "GET" else 400, form=form)
    if _recent_failures(current_user) >= MAX_FAILURES:
        return stepup_page(next_url, status=429, form=form,
                           message=_("Too many failed attempts. Try again in a few minutes."))
    detail = _verify(current_user, form)
    if detail is None:
        record("stepup_failed", actor=current_user, via="web", detail=f"ip={request.remote_addr}")
        db.session.commit()
        return stepup_page(next_url, status=401, form=form,
                           message=_("That code is not right.") if current_user.totp_secret
                           else _("Wrong password."))
    record("stepup", actor=current_user, via="web", detail=detail)
    db.session.commit()
    su.mark_verified(current_user)
    return redirect(_safe_next(next_url))


def _qr_data_url(uri: str) -> str:
    buf = io.BytesIO()
    qrcode.make(uri, box_size=6, border=2).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


@bp.route("/account/totp", methods=["GET", "POST"])
def totp():
    """Enrol an authenticator app: show a QR of a new secret, confirm with its first code (needs step-up)."""
    su.require_recent(current_user)
    form = TotpForm()
    secret = session.get(PENDING) or pyotp.random_base32()
    session[PENDING] = secret
    if form.validate_on_submit():
        counter = su.check_totp(secret, form.code.data)
        if counter is not None:
            current_user.totp_secret, current_user.totp_last_counter = secret, counter
            record("totp_enrolled", actor=current_user, via="web", field="user.totp",
                   detail=f"method=totp counter={counter}")
            db.session.commit()
            session.pop(PENDING, None)
            flash(_("Authenticator app enrolled. Second verification now asks for its code."), "success")
            return redirect(url_for("home.index"))
        form.code.errors.append(_("That code is not right."))
    uri = pyotp.TOTP(secret).provisioning_uri(name=current_user.username, issuer_name="OrderHub")
    return render_screen("pages/access/totp.html", form=form, qr=_qr_data_url(uri),
                         secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                         enrolled=bool(current_user.totp_secret), status=200 if request.method == "GET" else 422)
