"""Table of the reports domain: the daily report, stored once it is generated."""
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class DailyReport(db.Model):
    """The figures of one local day (ORDERHUB_TZ) as JSON; viewers see what their policy allows."""

    __tablename__ = "daily_reports"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD
    data: Mapped[str] = mapped_column(Text)
    generated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
