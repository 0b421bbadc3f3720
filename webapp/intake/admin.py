"""Admin console: sales channels — list built-in and added ones, add or edit one, rotate its secret, pull now.

Admins only (admin_console); every change needs a fresh second verification and is audited in the
same transaction. A new secret is shown once and stored sealed.
"""
import json

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from webapp.access import stepup
from webapp.access.forms import choices
from webapp.audit.services import record
from webapp.auth.models import User
from webapp.core.forms import attempt
from webapp.core.render import render_screen
from webapp.extensions import db
from webapp.intake import channels
from webapp.intake.models import Channel
from webapp.vocab import CHANNELS
from webapp.webhooks import keys

bp = Blueprint("intake_channels", __name__, url_prefix="/intake/channels")
bp.before_request(stepup.guard_admin_page)  # admin_console to enter, step-up before any change
KINDS = ("manual", "paste", "file", "push", "pull")
KIND_LABELS = {"manual": _l("Entered by hand"), "paste": _l("Pasted 接龙 lists"), "file": _l("CSV / XLSX files"),
               "push": _l("Shop pushes orders (signed)"), "pull": _l("We pull from a marketplace")}
MAX_SETTINGS = 4096  # characters of a channel's settings JSON


class ChannelForm(FlaskForm):
    """A channel: code (fixed once created), label, kind, settings (a JSON object), service user, active."""

    code = StringField(_l("Code"), validators=[Optional(), Length(max=16)], render_kw={"placeholder": "jd_shop"})
    label = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=64)])
    kind = SelectField(_l("Kind"), choices=choices((k, KIND_LABELS[k]) for k in KINDS))
    settings = TextAreaField(_l("Settings (a JSON object)"), validators=[Length(max=MAX_SETTINGS)], default="{}",
                             render_kw={"rows": 4, "spellcheck": "false"})
    user_id = SelectField(_l("Orders are written as (push and pull)"), coerce=int, default=0)
    platform_secret = PasswordField(_l("Platform secret (pull; empty: keep)"), validators=[Optional(), Length(max=255)])
    active = BooleanField(_l("Active"), default=True)


def _form(channel: Channel | None = None) -> ChannelForm:
    form = ChannelForm(obj=channel)
    users = db.session.scalars(select(User).where(User.is_active_user.is_(True)).order_by(User.username))
    form.user_id.choices = [(0, "—")] + [(u.id, f"{u.username} · {u.role_code}") for u in users]
    if channel is not None and not form.is_submitted():
        form.user_id.data = channel.user_id or 0
    return form


def parse_settings(text: str) -> str:
    """Return the settings as canonical JSON; raise ValueError unless they are a JSON object."""
    try:
        value = json.loads(text.strip() or "{}")
    except ValueError as exc:
        raise ValueError(_("Settings are not valid JSON: %(why)s", why=exc.msg)) from None
    if not isinstance(value, dict):
        raise ValueError(_("Settings must be a JSON object, like {\"adapter\": \"…\"}."))
    adapter = value.get("adapter")
    if adapter is not None:
        from webapp.intake.pull.adapters import ADAPTERS
        if adapter not in ADAPTERS:
            raise ValueError(_("Unknown adapter %(name)s (known: %(known)s).", name=adapter,
                               known=", ".join(sorted(ADAPTERS)) or "—"))
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def save(channel: Channel | None, form: ChannelForm, actor) -> tuple[Channel, str | None]:
    """Add a channel or change one from the form; return it and a new secret (shown once). Audited."""
    user = db.session.get(User, form.user_id.data) if form.user_id.data else None
    settings = parse_settings(form.settings.data or "")
    secret = None
    if channel is None:
        if (form.code.data or "").strip().lower() in CHANNELS:
            raise ValueError(_("%(code)s is a built-in channel: open it from the list to change it.",
                               code=form.code.data.strip().lower()))
        channel, secret = channels.add(form.code.data, form.label.data, form.kind.data, user=user)
        before = {}
    else:
        before = _snapshot(channel)
        label = (form.label.data or "").strip()
        if form.kind.data in ("push", "pull") and user is None:
            raise ValueError(_("A push or pull channel needs the user its orders are written as."))
        if channel.builtin and not form.active.data:
            raise ValueError(_("A built-in channel stays active."))
        channel.label, channel.kind, channel.user_id = label, form.kind.data, getattr(user, "id", None)
    channel.settings, channel.active = settings, bool(form.active.data) or channel.builtin
    if form.platform_secret.data:
        channel.secret = keys.seal(form.platform_secret.data.strip())
    after = _snapshot(channel)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    record("channel_added" if not before else "channel_changed", actor=actor, via="web", field="channel",
           new=channel.code, detail="; ".join(f"{k}={v}" for k, v in sorted(changed.items()))[:1000]
           + ("; secret set" if form.platform_secret.data else ""))
    db.session.flush()
    channels.forget_cache()
    return channel, secret


def _snapshot(channel: Channel) -> dict:
    return {"label": channel.label, "kind": channel.kind, "active": channel.active, "settings": channel.settings,
            "user_id": channel.user_id}


def rotate_secret(channel: Channel, actor) -> str:
    """Give the channel a new signing secret (the old one stops working); return it for showing once."""
    secret = keys.new_secret()
    channel.secret = keys.seal(secret)
    record("channel_secret_rotated", actor=actor, via="web", field="channel", new=channel.code)
    return secret


def _builtin(code: str) -> Channel:
    """A built-in channel's row as the migration seeds it (for a database that lacks it)."""
    from webapp.core.labels import channel_label
    return Channel(code=code, label=channel_label(code)[:64], kind="manual", builtin=True, active=True, settings="{}")


def _channel_or_404(code: str, *, keep: bool = False) -> Channel:
    """The channel with this code; a built-in one missing from the table is made up (and added when keep)."""
    channel = db.session.scalar(select(Channel).where(Channel.code == code))
    if channel is None and code in CHANNELS:
        channel = _builtin(code)
        if keep:
            db.session.add(channel)
    if channel is None:
        from flask import abort
        abort(404)
    return channel


def _all_channels() -> list[Channel]:
    rows = db.session.scalars(select(Channel)).all()
    have = {c.code for c in rows}
    rows += [_builtin(code) for code in CHANNELS if code not in have]
    return sorted(rows, key=lambda c: (not c.builtin, c.code))


def _index(form: ChannelForm, status: int = 200):
    return render_screen("pages/intake/channels.html", rows=_all_channels(), form=form, kinds=KIND_LABELS, builtin=CHANNELS,
                         status=status, stepup_left=stepup.remaining_seconds(current_user), pull_ready=_pull_ready())


def _page(channel: Channel, form: ChannelForm, status: int = 200, secret: str | None = None, notice: str = ""):
    return render_screen("pages/intake/channel.html", channel=channel, form=form, kinds=KIND_LABELS, secret=secret,
                         status=status, stepup_left=stepup.remaining_seconds(current_user), notice=notice,
                         may_pull=_pull_ready() and channel.kind == "pull")


def _pull_ready() -> bool:
    from webapp.intake.pull import runner
    return hasattr(runner, "pull_now")


@bp.get("")
def index():
    """List every channel and offer the form to add one."""
    return _index(_form())


@bp.post("")
def create():
    """Add a channel; a push channel's new secret is shown once on its page."""
    form = _form()
    if form.validate_on_submit():
        ok, result = attempt(lambda: save(None, form, current_user), form.code)
        if ok:
            channel, secret = result
            if secret:
                return _page(channel, _form(channel), secret=secret, notice=_("Channel added."))
            flash(_("Channel added."), "success")
            return redirect(url_for("intake_channels.show", code=channel.code))
    return _index(form, status=422)


@bp.get("/<code>")
def show(code: str):
    """One channel's settings, its secret button and (pull channels) a pull-now button."""
    channel = _channel_or_404(code)
    return _page(channel, _form(channel))


@bp.post("/<code>")
def update(code: str):
    """Change a channel's name, kind, settings, service user or active flag."""
    channel = _channel_or_404(code, keep=True)
    form = _form(channel)
    if form.validate_on_submit():
        ok, _result = attempt(lambda: save(channel, form, current_user), form.settings)
        if ok:
            flash(_("Channel saved."), "success")
            return redirect(url_for("intake_channels.show", code=channel.code))
    return _page(channel, form, status=422)


@bp.post("/<code>/secret")
def secret(code: str):
    """Generate a new secret for the channel and show it once."""
    channel = _channel_or_404(code, keep=True)
    new = rotate_secret(channel, current_user)
    db.session.commit()
    return _page(channel, _form(channel), secret=new, notice=_("New secret generated; the old one no longer works."))


@bp.post("/<code>/pull")
def pull(code: str):
    """Pull a marketplace channel now, whatever its schedule; the run shows in the intake log."""
    from webapp.intake.pull import runner
    channel = _channel_or_404(code)
    try:
        run = runner.pull_now(channel)
    except (runner.PullRefused, ValueError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        record("channel_pulled", actor=current_user, via="web", field="channel", new=channel.code,
               detail=f"run={run.id}")
        db.session.commit()
        flash(_("Pulled: created %(c)d, already there %(e)d, skipped %(f)d.", c=run.created, e=run.existing,
                f=run.failed), "success")
    return redirect(url_for("intake_channels.show", code=code))
