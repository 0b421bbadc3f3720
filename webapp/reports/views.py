"""The daily report page (inline SVG charts) and its CSV / XLSX downloads."""
from datetime import date

from flask import Blueprint, Response, abort, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.access.policy import policy_for
from webapp.core.render import render_screen
from webapp.core.timefmt import parse_day
from webapp.core.labels import region_label, state_label
from webapp.reports import charts, export, services

bp = Blueprint("reports", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report():
    """Return the asked day (default today so far) and its report as the current user may see it."""
    policy = policy_for(current_user)
    if not services.may_view(policy):
        abort(403)
    try:
        day = parse_day(request.args["day"]) if request.args.get("day") else services.today()
    except ValueError:
        abort(400)
    report, generated_at = services.load(day)
    return day, services.visible(report, policy), generated_at


@bp.get("/reports/daily")
@login_required
def daily():
    """Show one day's report with charts."""
    day, report, generated_at = _report()
    state_chart = charts.bars([(state_label(s), v["in"], v["out"]) for s, v in report["states"].items()])
    region_chart = charts.bars([(region_label(c) if c != "none" else _("No region"), r["new"], r["outbound"])
                                for c, r in report["regions"].items()])
    return render_screen("pages/reports/daily.html", day=day, report=report, generated_at=generated_at,
                         state_chart=state_chart, region_chart=region_chart,
                         prev_day=date.fromordinal(day.toordinal() - 1),
                         next_day=date.fromordinal(day.toordinal() + 1), today=services.today(),
                         yesterday=services.yesterday())


@bp.get("/reports/daily.csv")
@login_required
def daily_csv():
    """Download one day's report as CSV."""
    day, report, _at = _report()
    return _download(export.to_csv(export.rows(report)), "text/csv; charset=utf-8", f"orderhub-{day}.csv")


@bp.get("/reports/daily.xlsx")
@login_required
def daily_xlsx():
    """Download one day's report as an Excel workbook."""
    day, report, _at = _report()
    return _download(export.to_xlsx(export.rows(report), str(day)), XLSX, f"orderhub-{day}.xlsx")


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
