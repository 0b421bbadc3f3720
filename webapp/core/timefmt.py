"""Show UTC times in ORDERHUB_TZ; read the days users type."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local(dt: datetime | None) -> datetime | None:
    """Convert an aware UTC datetime to the display time zone."""
    if dt is None:
        return None
    return dt.astimezone(ZoneInfo(current_app.config["ORDERHUB_TZ"]))


def fmt(dt: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """Format a UTC datetime in the display time zone ('' for None)."""
    value = local(dt)
    return value.strftime(pattern) if value else ""


# Days a user may ask about; beyond them date arithmetic (a day after 9999-12-31) overflows.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2999, 12, 31)


def parse_day(text: str) -> date:
    """Parse a typed ISO day; ValueError when malformed or outside FIRST_DAY … LAST_DAY."""
    day = date.fromisoformat(str(text).strip())
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"day out of range: {day}")
    return day
