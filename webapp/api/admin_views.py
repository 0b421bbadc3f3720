"""Admin console pages for API tokens: create one for a user (shown once), list them, revoke one.

Same guard as the rest of the console: the `admin_console` action to enter, a fresh second
verification (webapp.access.stepup) for every change. Every change is audited by webapp.api.tokens.
"""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from webapp.access import stepup
from webapp.api import tokens
from webapp.api.models import ApiToken
from webapp.auth.models import User
from webapp.core.db import utcnow
from webapp.core.render import render_screen
from webapp.extensions import db

bp = Blueprint("api_admin", __name__, url_prefix="/admin/tokens")


class TokenForm(FlaskForm):
    """Whose token, a name to recognise it by, and an optional lifetime."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    name = StringField(_l("Token name (e.g. the system using it)"), validators=[Optional(), Length(max=64)])
    expires_days = IntegerField(_l("Expires after (days, empty: never)"),
                                validators=[Optional(), NumberRange(min=1, max=3650)])


bp.before_request(stepup.guard_admin_page)  # admin_console to enter, step-up before any change


def _page(form: TokenForm, status: int = 200, new_token: str | None = None):
    rows = db.session.execute(select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
                              .order_by(ApiToken.id.desc())).all()
    return render_screen("pages/api/tokens.html", form=form, rows=rows, new_token=new_token, now=utcnow(),
                         stepup_left=stepup.remaining_seconds(current_user), status=status)


@bp.get("")
def index():
    """List every API token: user, name, prefix, last use, state."""
    return _page(TokenForm(username=request.args.get("user", "")))


@bp.post("")
def create():
    """Create a token for a user and show it this once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    user = db.session.scalar(select(User).where(User.username == form.username.data.strip().lower()))
    if user is None:
        form.username.errors.append(_("Unknown user."))
        return _page(form, 422)
    try:
        _token, raw = tokens.create_token(user, form.name.data or "", form.expires_days.data,
                                          actor=current_user, via="web")
    except tokens.TokenError as exc:
        db.session.rollback()
        form.username.errors.append(str(exc))
        return _page(form, 422)
    db.session.commit()
    return _page(TokenForm(formdata=None), 201, new_token=raw)


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    """Revoke a token at once."""
    token = db.session.get(ApiToken, token_id) or abort(404)
    tokens.revoke_token(token, actor=current_user, via="web")
    db.session.commit()
    flash(_("Token %(prefix)s revoked.", prefix=token.prefix), "success")
    return redirect(url_for("api_admin.index"))
