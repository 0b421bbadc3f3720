"""Show UTC times in ORDERHUB_TZ."""
from datetime import datetime
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
