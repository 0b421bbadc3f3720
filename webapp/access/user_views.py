"""Admin console: users — list, create, change role/regions, disable/enable, reset password."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp.access import services, users
from webapp.access.forms import PasswordResetForm, UserCreateForm, UserForm, choices, save
from webapp.access.views import bp
from webapp.auth.models import Region, User
from webapp.core.render import render_screen
from webapp.extensions import db


def _choices(form: UserForm) -> UserForm:
    from webapp.core.i18n import lang
    form.role.choices = choices((r.code, f"{r.label(lang())} ({r.code})") for r in services.roles())
    form.regions.choices = choices((r.code, r.label(lang()))
                                   for r in db.session.scalars(select(Region).order_by(Region.code)))
    return form


def _user(uid: int) -> User:
    user = db.session.get(User, uid)
    if user is None:
        abort(404)
    return user


@bp.get("/admin/users")
def users_index():
    """List every user with role, regions and whether they are active."""
    return render_screen("pages/access/users.html", users=users.users())


@bp.route("/admin/users/new", methods=["GET", "POST"])
def user_new():
    """Create a user (second verification needed to save)."""
    form = _choices(UserCreateForm())
    if form.validate_on_submit():
        done = save(lambda: users.create(form.username.data, form.role.data, form.password.data,
                                         form.regions.data or [], form.display_name.data or "", actor=current_user),
                    form.username, lambda user: _("User %(name)s created.", name=user.username),
                    lambda user: url_for("access.user_edit", uid=user.id))
        if done:
            return done
    return render_screen("pages/access/user_new.html", form=form, status=200 if not form.errors else 422)


def _edit_page(user: User, form=None, reset=None, status: int = 200):
    form = form or _choices(UserForm(obj=user, role=user.role_code, regions=user.region_codes))
    return render_screen("pages/access/user_edit.html", user=user, form=form,
                         reset=reset or PasswordResetForm(), status=status)


@bp.get("/admin/users/<int:uid>")
def user_edit(uid: int):
    """Show one user's settings, password reset and disable/enable."""
    return _edit_page(_user(uid))


@bp.post("/admin/users/<int:uid>")
def user_update(uid: int):
    """Save role, regions and display name."""
    user = _user(uid)
    form = _choices(UserForm())
    if form.validate_on_submit():
        done = save(lambda: users.update(user, role=form.role.data, regions=form.regions.data or [],
                                         display_name=form.display_name.data or "", actor=current_user),
                    form.role, _("Saved."), url_for("access.user_edit", uid=uid))
        if done:
            return done
    return _edit_page(_user(uid), form=form, status=422)


@bp.post("/admin/users/<int:uid>/active")
def user_active(uid: int):
    """Disable (ends the user's sessions at once) or enable a user."""
    user = _user(uid)
    try:
        users.set_active(user, request.form.get("active") == "1", actor=current_user)
    except users.UserAdminError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("access.user_edit", uid=uid))
    db.session.commit()
    flash(_("User enabled.") if user.is_active_user else _("User disabled; their sessions have ended."),
          "success")
    return redirect(url_for("access.user_edit", uid=uid))


@bp.post("/admin/users/<int:uid>/password")
def user_password(uid: int):
    """Set a new password for a user (ends their sessions)."""
    user = _user(uid)
    reset = PasswordResetForm()
    if reset.validate_on_submit():
        done = save(lambda: users.reset_password(user, reset.password.data, clear_totp=reset.clear_totp.data,
                                                 actor=current_user),
                    reset.password, _("Password reset; their sessions have ended."),
                    url_for("access.user_edit", uid=uid))
        if done:
            return done
    return _edit_page(user, reset=reset, status=422)
