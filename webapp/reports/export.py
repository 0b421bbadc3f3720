"""The daily report as CSV and XLSX rows, with spreadsheet formula injection neutralised."""
import csv
import io
from decimal import Decimal

from flask_babel import gettext as _
from openpyxl import Workbook

from webapp.core.labels import region_label, state_label

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Prefix text starting with = + - @ tab or CR with an apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def _money(value):
    return Decimal(value) if value is not None else None


def rows(report: dict) -> list[list]:
    """Flatten a (policy-filtered) report into rows for a spreadsheet."""
    money = [k for k in ("revenue", "profit") if k in report["total"]]
    money_heads = [{"revenue": _("Revenue"), "profit": _("Profit")}[k] for k in money]
    out = [[_("Daily report"), report["day"], report["tz"]], [],
           [_("State"), _("In"), _("Out")]]
    out += [[state_label(s), v["in"], v["out"]] for s, v in report["states"].items()]
    out += [[], [_("Region"), _("New orders"), _("Outbound"), _("Median hours confirmed → outbound"),
                 _("P90 hours confirmed → outbound"), _("Overdue"), *money_heads]]
    for code, r in [*report["regions"].items(), (_("Total"), report["total"])]:
        name = region_label(code) if code != "none" else _("No region")
        out.append([name, r["new"], r["outbound"], r["median_hours"], r["p90_hours"], r["overdue"],
                    *[_money(r[k]) for k in money]])
    out += [[], [_("Salesperson"), _("New orders"), *money_heads]]
    out += [[p["name"], p["new"], *[_money(p[k]) for k in money]] for p in report["salespeople"]]
    out += _kpi_rows(report.get("kpis"))
    return [[safe_cell(c) for c in row] for row in out]


def _kpi_rows(k: dict | None) -> list[list]:
    """Return the KPI block (a report stored before the KPIs existed has none)."""
    if not k:
        return []
    rows = [[], [_("KPIs"), _("Median"), _("P90")]]
    for prefix, label in (("ship", _("Hours created → outbound")), ("done", _("Hours created → completed")),
                          ("approve", _("Hours to approve"))):
        rows.append([label, k[f"{prefix}_median_hours"], k[f"{prefix}_p90_hours"]])
    rows += [[_("Wrong-shipment rate (%)"), k["wrong_rate"]], [_("Customer inquiries"), k["inquiries"]],
             [_("Where is my order?"), k["wism"]], [_("Tracking-page views"), k["views"]],
             [_("Approvals waiting"), k["approvals_waiting"]]]
    if "refunds" in k:
        rows.append([_("Refunds"), _money(k["refunds"])])
    return rows


def to_csv(table: list[list]) -> bytes:
    """Return the rows as UTF-8 CSV with a BOM (so spreadsheet programs read the Chinese)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in table:
        writer.writerow(["" if c is None else c for c in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(table: list[list], title: str) -> bytes:
    """Return the rows as an XLSX workbook; text cells are written as text, never as formulas."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in table:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
