"""The dashboard's inline SVG bar charts, laid out by the report's bar geometry (webapp.reports.charts)."""
from flask_babel import gettext as _

from webapp.core.labels import region_label
from webapp.reports.charts import bars


def build(figures: dict) -> dict:
    """Return the laid-out charts: orders in / shipped per day and per region, median hours per day."""
    days, regions = figures["days"], figures["regions"]
    return {
        "days": bars([(d[5:], r["orders_in"], r["shipped"]) for d, r in days.items()]),
        "regions": bars([(region_label(c) if c else _("No region"), r["orders_in"], r["shipped"])
                         for c, r in regions.items()]),
        "hours": bars([(d[5:], r["median_hours"] or 0, None) for d, r in days.items()]),
    }
