"""Admin console: home, the permission matrix grid (htmx toggles), role scopes and copies.

Every route here is for role admin only (checked before each request); every change also needs a
fresh second verification (webapp.access.stepup). Users and step-up live in sibling modules.
"""
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.access import services, stepup
from webapp.access.defaults import MATRIX_FIELDS, MATRIX_KEYS
from webapp.vocab import ACTIONS, AREA_ACTIONS, ORDER_ACTIONS, STEP_ACTIONS
from webapp.access.forms import RoleCopyForm, ScopeForm, choices, save
from webapp.access.stepup import StepUpRequired
from webapp.core.db import READ_METHODS
from webapp.core.errors import AppError, error_response
from webapp.core.render import is_htmx, render_screen, wants_json
from webapp.extensions import db

bp = Blueprint("access", __name__)
OPEN_TO_ALL = {"access.stepup", "access.totp"}  # any logged-in user
AREAS = {"access.audit_log": "audit_log"}  # routes guarded by their own area action
# Forms that take a while to fill in: the second verification is asked before they are shown (with
# time enough left to type), so that saving never bounces to it and loses what was typed.
STEPUP_FIRST = {"access.user_new", "access.user_edit"}
STEPUP_FIRST_SECONDS = 3 * 60
# Every other route here needs the admin_console action.


@bp.before_request
def _admin_only():
    """Refuse anyone but admins; ask for second verification before any change."""
    if current_user.is_authenticated and request.endpoint in OPEN_TO_ALL:
        return None
    refused = stepup.guard_admin_page(AREAS.get(request.endpoint, "admin_console"))
    if refused is not None:
        return refused
    if request.method in READ_METHODS and request.endpoint in STEPUP_FIRST and stepup.remaining_seconds(current_user) < STEPUP_FIRST_SECONDS:
        raise StepUpRequired()
    return None


@bp.app_errorhandler(StepUpRequired)
def _stepup_needed(exc):
    """Answer with the re-authentication form (htmx: redirect to it; JSON: 401 stepup_required)."""
    back = _back_url()
    if wants_json():
        return error_response(exc.status, exc.message, exc.code)
    if is_htmx():
        resp = make_response(error_response(exc.status, exc.message, exc.code))
        resp.headers["HX-Redirect"] = url_for("access.stepup", next=back)
        return resp
    from webapp.access.account_views import stepup_page
    return stepup_page(next_url=back, status=401, message=exc.message)


def _back_url() -> str:
    """Return where to go after step-up: this page for GET, else the page the request came from."""
    if request.method in READ_METHODS and not is_htmx():
        return request.full_path.rstrip("?")
    source = request.htmx.current_url or request.referrer or url_for("access.console")
    parts = urlsplit(source)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.get("/admin")
def console():
    """Show the admin home."""
    return render_screen("pages/access/console.html", stepup_left=stepup.remaining_seconds(current_user))


@bp.get("/admin/matrix")
def matrix():
    """Show the role × field grid, each role's scope, and the form to copy a role."""
    return render_screen("pages/access/matrix.html", **_matrix_ctx())


def _matrix_ctx() -> dict:
    roles = services.roles()
    copy_form = RoleCopyForm()
    copy_form.source.choices = choices((r.code, r.code) for r in roles)
    scope_forms = {}
    grid = services.matrix()
    for role in roles:
        scope_forms[role.code] = ScopeForm(prefix=role.code, scope=grid[role.code][1], home=role.home)
    groups = ((_("Order actions"), ORDER_ACTIONS), (_("State steps"), STEP_ACTIONS), (_("Areas"), AREA_ACTIONS))
    return {"roles": roles, "grid": grid, "fields": MATRIX_FIELDS, "action_groups": groups,
            "scope_forms": scope_forms, "copy_form": copy_form,
            "stepup_left": stepup.remaining_seconds(current_user)}


@bp.post("/admin/matrix/<role>/<name>")
def toggle(role: str, name: str):
    """Move one cell to the next level (or to `level` if given); takes effect on the next request."""
    levels = services.matrix().get(role)
    if levels is None or name not in MATRIX_KEYS:
        abort(404)
    current = levels[0].get(name, "hidden")
    wanted = request.form.get("level") or services.next_level(name, current)
    try:
        level = services.set_level(role, name, wanted, actor=current_user, via="web")
    except services.AccessError as exc:
        db.session.rollback()
        raise AppError(422, str(exc), code="invalid") from exc
    db.session.commit()
    if not is_htmx():
        return redirect(url_for("access.matrix") + f"#cell-{role}-{name.replace('>', '--')}")
    return render_screen("partials/access/_cell.html", role=role, name=name, level=level,
                         is_action=name in ACTIONS)


@bp.post("/admin/roles/<role>/scope")
def scope(role: str):
    """Change a role's row scope."""
    form = ScopeForm(prefix=role)
    if not form.validate_on_submit():
        raise AppError(422, _("Choose a row scope."), code="invalid")
    try:
        services.set_scope(role, form.scope.data, actor=current_user, via="web")
        if form.home.data:
            services.set_home(role, form.home.data, actor=current_user, via="web")
    except services.AccessError as exc:
        db.session.rollback()
        raise AppError(404, str(exc), code="not_found") from exc
    db.session.commit()
    flash(_("Row scope saved."), "success")
    return redirect(url_for("access.matrix") + f"#role-{role}")


@bp.post("/admin/roles")
def copy_role():
    """Create a role by copying another's permissions and scope."""
    form = RoleCopyForm()
    form.source.choices = choices((r.code, r.code) for r in services.roles())
    if form.validate_on_submit():
        done = save(lambda: services.copy_role(form.source.data, form.code.data, form.name_zh.data,
                                               form.name_en.data or "", actor=current_user, via="web"),
                    form.code, lambda role: _("Role %(code)s created.", code=role.code),
                    lambda role: url_for("access.matrix") + f"#role-{role.code}")
        if done:
            return done
    ctx = _matrix_ctx() | {"copy_form": form}
    return render_screen("pages/access/matrix.html", status=422, **ctx)


from webapp.access import account_views, audit_views, user_views  # noqa: E402,F401  (routes on this blueprint)
