"""The dashboard page and the board's CSV / XLSX exports (thin: services and exports do the work)."""
from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, request, send_file, stream_with_context, url_for
from flask_login import current_user, login_required

from webapp.access.policy import policy_for
from webapp.core.render import render_screen
from webapp.aftersales import refunds_export
from webapp.dashboard import charts, exports, services
from webapp.orders import queries

bp = Blueprint("dashboard", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period() -> tuple[services.Period, str | None]:
    """Return the asked period (?days=N of the fixed ranges, or ?from=&to=) and why a custom range was refused."""
    last = services.today()
    if request.args.get("from") or request.args.get("to"):
        try:
            return services.parse_range(request.args.get("from", ""), request.args.get("to", ""), last), None
        except services.BadRange as exc:
            return services.Period(last - timedelta(days=6), last), str(exc.args[0])
    try:
        days = int(request.args.get("days", 7))
    except ValueError:
        days = 7
    days = days if days in services.RANGES else 7
    return services.Period(last - timedelta(days=days - 1), last), None


@bp.get("/dashboard")
@login_required
def index():
    """Show the KPIs of a range of days against the previous one, and what is late right now."""
    policy = policy_for(current_user)
    if not services.may_view(policy):
        abort(403)
    period, range_error = _period()
    figures = services.visible(services.kpis(period), policy)
    return render_screen("pages/dashboard/index.html", status=400 if range_error else 200, period=period,
                         range_error=range_error, figures=figures, live=services.live(policy), ranges=services.RANGES,
                         charts=charts.build(figures), overdue_hours=current_app.config["OVERDUE_HOURS"],
                         board=url_for("orders.index"), refunds_export=refunds_export.may_export(policy))


def _attachment(resp: Response, filename: str) -> Response:
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get("/orders/export.csv")
@login_required
def export_csv():
    """Download the board's orders (current filters, readable fields only) as CSV, streamed."""
    query, policy = queries.parse_board(request.args), policy_for(current_user)
    body = stream_with_context(exports.csv_stream(query, current_user, policy))
    return _attachment(Response(body, mimetype="text/csv; charset=utf-8"), "orders.csv")


@bp.get("/orders/export.xlsx")
@login_required
def export_xlsx():
    """Download the board's orders (current filters, readable fields only) as an Excel workbook."""
    query, policy = queries.parse_board(request.args), policy_for(current_user)
    out = exports.xlsx_file(query, current_user, policy)
    return _attachment(send_file(out, mimetype=XLSX, download_name="orders.xlsx", as_attachment=True), "orders.xlsx")
