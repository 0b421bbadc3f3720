"""Ranges of local days people choose on a page (dashboard, refunds export): parsed once, with a clear message
when reversed, longer than a year or not dates."""
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.core.db import utcnow
from webapp.core.timefmt import parse_day

MAX_DAYS = 366  # a custom range spans at most a year


class BadRange(ValueError):
    """A custom range that is reversed, longer than a year or not made of dates; the message says which."""


@dataclass(frozen=True)
class Period:
    """A range of local days, both ends included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        """Return how many days the period spans."""
        return (self.last - self.first).days + 1

    def previous(self) -> "Period":
        """Return the period of the same length just before this one."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))


def today() -> date:
    """Return the local date now (ORDERHUB_TZ)."""
    return utcnow().astimezone(ZoneInfo(current_app.config["ORDERHUB_TZ"])).date()


def parse_range(first: str, last: str, now: date) -> Period:
    """Return the custom range first..last (YYYY-MM-DD, both included); BadRange with a clear message otherwise."""
    try:
        period = Period(parse_day(first or ""), parse_day(last or now.isoformat()))
    except ValueError:
        raise BadRange(_l("Enter the dates as YYYY-MM-DD.")) from None
    if period.last < period.first:
        raise BadRange(_l("The range ends before it starts: swap the two dates."))
    if period.days > MAX_DAYS:
        raise BadRange(_l("A range may span at most one year (%(n)s days).", n=MAX_DAYS))
    return period
