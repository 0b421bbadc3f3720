"""The 接龙 paste screen (action `intake`): paste → preview → confirm, and the intake log."""
from flask import Blueprint, request
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.access.policy import policy_for, require
from webapp.core.db import utcnow
from webapp.core.render import render_screen
from webapp.extensions import db
from webapp.intake import channels, paste, services
from webapp.intake.models import IntakeRun
from webapp.orders.models import Product

bp = Blueprint("intake", __name__)
CHANNEL = "wechat_group"
MAX_TEXT = 200_000  # characters of one paste


def _text() -> str:
    return (request.form.get("text") or "")[:MAX_TEXT]


def _runs():
    """The latest runs: every run for admins (who also see raw payloads), else the user's own."""
    stmt = select(IntakeRun).order_by(IntakeRun.id.desc()).limit(20)
    if not policy_for(current_user).can("admin_console"):
        stmt = stmt.where(IntakeRun.user_id == current_user.id)
    return list(db.session.scalars(stmt))


def page(partial: str | None = None, status: int = 200, **ctx):
    """The intake screen (or, for htmx, one of its partials) with the paste box, channels and the log."""
    ctx = {"text": "", "rows": None} | ctx
    return render_screen("pages/intake/index.html", partial, status=status, runs=_runs(), channels=channels.known(),
                         admin=policy_for(current_user).can("admin_console"), **ctx)


@bp.get("/intake")
@login_required
def index():
    """The paste box and the latest intake runs."""
    require("intake")
    return page()


def _preview_rows(text: str) -> list[dict]:
    """Each entry with its problems and whether its order exists already."""
    names = services.catalogue_names()
    product_names = dict(db.session.execute(select(Product.sku, Product.name)).all())
    rows = []
    for entry in paste.parse(text, names).entries:
        draft = paste.draft(entry)
        rows.append({"entry": entry, "problems": draft.problems,
                     "items": [(sku, product_names.get(sku, sku), qty) for sku, qty in entry.items.items()],
                     "existing": services.existing_order(CHANNEL, entry.external_id)})
    return rows


@bp.post("/intake/preview")
@login_required
def preview():
    """Parse the pasted list and show what each line would become."""
    require("intake")
    text = _text()
    rows = _preview_rows(text)
    return page("partials/intake/preview.html", text=text, rows=rows)


@bp.post("/intake/confirm")
@login_required
def confirm():
    """Create the orders of every complete, new line (each all or nothing) and log the run."""
    require("intake")
    text, started = _text(), utcnow()
    parsed = paste.parse(text)
    outcome = services.apply(paste.drafts(parsed), CHANNEL, current_user, dry_run=False)
    db.session.rollback()
    services.log_run(outcome, channel=CHANNEL, source="jielong", user=current_user, filename=parsed.title[:255],
                     started=started)
    return page("partials/intake/result.html", outcome=outcome)
