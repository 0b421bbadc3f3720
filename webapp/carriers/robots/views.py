"""Admin pages for group robots: list, add, send a test message, see each alert and the request that carried it.

Admins only (the policy's admin_console action); every change also needs a fresh second verification.
"""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp.access import stepup
from webapp.access.forms import choices
from webapp.auth.models import Role
from webapp.core.errors import AppError
from webapp.core.forms import attempt
from webapp.core.render import is_htmx, render_screen
from webapp.extensions import db

from webapp.carriers.models import Robot
from webapp.carriers.robots import services
from webapp.carriers.robots.forms import RobotForm

bp = Blueprint("robots", __name__, url_prefix="/admin/robots")
ALERTS = "partials/carriers/_robot_alerts.html"
bp.before_request(stepup.guard_admin_page)  # the console's guard: admin_console to enter, step-up for changes


def _form() -> RobotForm:
    form = RobotForm()
    roles = db.session.scalars(select(Role).order_by(Role.code))
    form.audience_role.choices = choices((r.code, f"{r.name_zh} · {r.code}") for r in roles)
    if not form.is_submitted():
        form.audience_role.data = services.DEFAULT_AUDIENCE
    return form


def _index(form: RobotForm, status: int = 200):
    return render_screen("pages/carriers/robots.html", robots=services.robots(), form=form, status=status,
                         stepup_left=stepup.remaining_seconds(current_user))


@bp.get("")
def index():
    """List the robots and offer the form to add one."""
    return _index(_form())


@bp.post("")
def create():
    """Add a robot and open its page."""
    form = _form()
    if form.validate_on_submit():
        ok, robot = attempt(lambda: services.add(
            form.kind.data, form.url.data.strip(), form.events.data, form.regions.data,
            secret=(form.secret.data or "").strip() or None, name=form.name.data or "",
            audience_role=form.audience_role.data, actor=current_user), form.url)
        if ok:
            flash(_("Robot added. Send a test message to check it."), "success")
            return redirect(url_for("robots.show", rid=robot.id))
    return _index(form, status=422)


@bp.get("/<int:rid>")
def show(rid: int):
    """Show one robot and its latest alerts (htmx: the alerts list only)."""
    robot = db.get_or_404(Robot, rid)
    return render_screen("pages/carriers/robot.html", ALERTS, robot=robot, alerts=services.recent_alerts(robot),
                         stepup_left=stepup.remaining_seconds(current_user))


@bp.post("/<int:rid>/test")
def test(rid: int):
    """Queue a test message; its answer (a wrong URL or secret) shows in the alerts list."""
    robot = db.get_or_404(Robot, rid)
    if not robot.active:
        raise AppError(409, _("Enable the robot first."), code="disabled")
    services.send_test(robot)
    db.session.commit()
    message = _("Test message queued.")
    if is_htmx():
        return render_screen(ALERTS, robot=robot, alerts=services.recent_alerts(robot), notice=message)
    flash(message, "success")
    return redirect(url_for("robots.show", rid=robot.id))


@bp.post("/<int:rid>/active")
def active(rid: int):
    """Turn a robot on (form field active=1) or off (active=0)."""
    robot = db.get_or_404(Robot, rid)
    services.set_active(robot, request.form.get("active") == "1", actor=current_user)
    db.session.commit()
    flash(_("Robot enabled.") if robot.active else _("Robot disabled."), "success")
    return redirect(url_for("robots.show", rid=robot.id))
