"""Admin pages for outgoing webhooks: list, register (secret shown once), rotate, test, deliveries, redeliver.

Admins only (the policy's admin_console action); every change also needs a fresh second verification.
"""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp.access import stepup
from webapp.access.forms import choices
from webapp.auth.models import User
from webapp.core.errors import AppError
from webapp.core.forms import attempt
from webapp.core.render import is_htmx, render_screen
from webapp.extensions import db
from webapp.webhooks import services
from webapp.webhooks.forms import EndpointForm
from webapp.webhooks.models import WebhookDelivery, WebhookEndpoint

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")
DELIVERIES = "partials/webhooks/_deliveries.html"


bp.before_request(stepup.guard_admin_page)  # admin_console to enter, step-up before any change


def _form() -> EndpointForm:
    form = EndpointForm()
    users = db.session.scalars(select(User).where(User.is_active_user.is_(True)).order_by(User.username))
    form.username.choices = choices((u.username, f"{u.name} · {u.username} ({u.role_code})") for u in users)
    return form


def _index(form: EndpointForm, status: int = 200):
    return render_screen("pages/webhooks/index.html", endpoints=services.endpoints(), form=form, status=status,
                         stepup_left=stepup.remaining_seconds(current_user))


@bp.get("")
def index():
    """List the endpoints (disabled ones flagged) and offer the registration form."""
    return _index(_form())


@bp.post("")
def create():
    """Register an endpoint and show its signing secret, once."""
    form = _form()
    if form.validate_on_submit():
        ok, created = attempt(lambda: services.create(form.url.data.strip(), form.events.data,
                                                      form.username.data, actor=current_user), form.url)
        if ok:
            return _secret_page(*created)
    return _index(form, status=422)


def _secret_page(endpoint: WebhookEndpoint, secret: str):
    resp = render_screen("pages/webhooks/secret.html", endpoint=endpoint, secret=secret)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/<int:eid>")
def show(eid: int):
    """Show one endpoint and its latest deliveries (htmx: the deliveries list only)."""
    endpoint = db.get_or_404(WebhookEndpoint, eid)
    return render_screen("pages/webhooks/endpoint.html", DELIVERIES, endpoint=endpoint,
                         deliveries=services.deliveries(endpoint), stepup_left=stepup.remaining_seconds(current_user))


@bp.post("/<int:eid>/rotate")
def rotate(eid: int):
    """Give the endpoint a new secret (the old one keeps signing for 24 h) and show it once."""
    endpoint = db.get_or_404(WebhookEndpoint, eid)
    secret = services.rotate(endpoint, actor=current_user)
    db.session.commit()
    return _secret_page(endpoint, secret)


@bp.post("/<int:eid>/test")
def test(eid: int):
    """Queue a webhook.test event."""
    endpoint = db.get_or_404(WebhookEndpoint, eid)
    if not endpoint.active:
        raise AppError(409, _("Enable the endpoint first."), code="disabled")
    services.send_test(endpoint)
    db.session.commit()
    return _after(endpoint, _("Test event queued."))


@bp.post("/<int:eid>/deliveries/<int:did>/redeliver")
def redeliver(eid: int, did: int):
    """Send one delivery's event again (same webhook-id and body)."""
    endpoint = db.get_or_404(WebhookEndpoint, eid)
    delivery = db.session.get(WebhookDelivery, did)
    if delivery is None or delivery.endpoint_id != endpoint.id:
        abort(404)
    try:
        services.redeliver(delivery)
    except services.WebhookError as exc:
        db.session.rollback()
        raise AppError(409, str(exc), code="not_redeliverable") from exc
    db.session.commit()
    return _after(endpoint, _("Queued again."))


@bp.post("/<int:eid>/active")
def active(eid: int):
    """Turn an endpoint on (form field active=1) or off (active=0)."""
    endpoint = db.get_or_404(WebhookEndpoint, eid)
    services.enable(endpoint, request.form.get("active") == "1", actor=current_user)
    db.session.commit()
    flash(_("Webhook enabled.") if endpoint.active else _("Webhook disabled."), "success")
    return redirect(url_for("webhooks.show", eid=endpoint.id))


def _after(endpoint: WebhookEndpoint, message: str):
    """Answer a change with the fresh deliveries list (htmx) or back on the endpoint's page."""
    if is_htmx():
        return render_screen(DELIVERIES, endpoint=endpoint, deliveries=services.deliveries(endpoint),
                             notice=message)
    flash(message, "success")
    return redirect(url_for("webhooks.show", eid=endpoint.id))
