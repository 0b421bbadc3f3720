"""The 接龙 paste screen (action `intake`): paste → preview → fix unclear lines in place → confirm; the log."""
import json

from flask import Blueprint, abort, render_template, request
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
LINE = "partials/intake/line.html"
LINE_EDIT = "partials/intake/line_edit.html"


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


def _catalogue() -> list[tuple[str, str]]:
    """(sku, name) of the active products, by name: the choices when fixing a line's items."""
    return db.session.execute(select(Product.sku, Product.name).where(Product.active.is_(True))
                              .order_by(Product.name, Product.sku)).all()


def _row(line: dict, names: dict, problems: list, *, existing=None, fixed: bool = False) -> dict:
    """A preview row: the line's state (JSON for the edit button and the confirm form) and what it shows."""
    return {"line": line, "state": json.dumps(line, ensure_ascii=False), "problems": problems, "fixed": fixed,
            "existing": existing, "items": [(sku, names.get(sku, sku), qty) for sku, qty in line["items"]]}


def _preview_rows(text: str) -> list[dict]:
    """Each entry with its problems and whether its order exists already."""
    names = services.catalogue_names()
    product_names = dict(db.session.execute(select(Product.sku, Product.name)).all())
    return [_row(paste.state(entry), product_names, paste.draft(entry).problems,
                 existing=services.existing_order(CHANNEL, entry.external_id))
            for entry in paste.parse(text, names).entries]


@bp.post("/intake/preview")
@login_required
def preview():
    """Parse the pasted list and show what each line would become."""
    require("intake")
    text = _text()
    rows = _preview_rows(text)
    return page("partials/intake/preview.html", text=text, rows=rows)


def _posted_line() -> dict:
    line = paste.read_state(request.form.get("line"))
    if line is None:
        abort(400)
    return line


@bp.post("/intake/line/edit")
@login_required
def line_edit():
    """Open one preview line for fixing in place (htmx: the row becomes a small form)."""
    require("intake")
    line = _posted_line()
    return render_template(LINE_EDIT, line=line, state=json.dumps(line, ensure_ascii=False), errors={},
                           catalogue=_catalogue())


@bp.post("/intake/line")
@login_required
def line_check():
    """Check a fixed line again (that line only): ready to confirm, or the form with what is still missing."""
    require("intake")
    original = _posted_line()
    product_names = dict(_catalogue())
    if request.form.get("cancel"):
        line = original
        problems = list(paste.check(line, set(product_names)).values())
        return render_template(LINE, row=_row(line, product_names, problems), text="")
    line = paste.from_form(request.form, original)
    errors = paste.check(line, set(product_names))
    if errors:
        return render_template(LINE_EDIT, line=line, state=json.dumps(original, ensure_ascii=False), errors=errors,
                               catalogue=list(product_names.items()))
    return render_template(LINE, row=_row(line, product_names, [], fixed=True))


@bp.post("/intake/confirm")
@login_required
def confirm():
    """Create the orders of every complete or fixed new line (each all or nothing) and log the run."""
    require("intake")
    text, started = _text(), utcnow()
    names = services.catalogue_names()
    parsed = paste.parse(text, names)
    drafts = paste.drafts_with_fixes(parsed, request.form.getlist("fix"), set(names.values()))
    outcome = services.apply(drafts, CHANNEL, current_user, dry_run=False)
    db.session.rollback()
    services.log_run(outcome, channel=CHANNEL, source="jielong", user=current_user, filename=parsed.title[:255],
                     started=started)
    return page("partials/intake/result.html", outcome=outcome)
