"""Tables of the carriers domain: team robots, the alerts queued for them and each request sent."""
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class Robot(db.Model):
    """A WeCom, DingTalk or Feishu group robot: the events and regions it hears and its audience role.

    The webhook URL (it carries the vendor's access key) and the signing secret are stored encrypted
    (webapp.webhooks.keys.seal); url_hint is what pages show. The audience role's policy decides which
    order fields (amounts, customer) its messages show.
    """

    __tablename__ = "carrier_robots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64), default="")
    url: Mapped[str] = mapped_column(Text)
    url_hint: Mapped[str] = mapped_column(String(255), default="")
    secret: Mapped[str | None] = mapped_column(Text, nullable=True)
    events: Mapped[str] = mapped_column(String(255))  # comma-separated event types
    regions: Mapped[str] = mapped_column(String(255), default="")  # comma-separated codes; empty: all
    audience_role: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_send_at = mapped_column(UTCDateTime, nullable=True)  # touched under lock before each request
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    @property
    def event_list(self) -> list[str]:
        return [e for e in self.events.split(",") if e]

    @property
    def region_list(self) -> list[str]:
        return [r for r in self.regions.split(",") if r]


class RobotSend(db.Model):
    """One request to a robot carrying one alert or a digest of several; ok is None while in flight."""

    __tablename__ = "carrier_robot_sends"
    __table_args__ = (Index("ix_carrier_robot_sends_robot_at", "robot_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    robot_id: Mapped[int] = mapped_column(ForeignKey("carrier_robots.id", ondelete="CASCADE"))
    at = mapped_column(UTCDateTime, nullable=False)
    items: Mapped[int] = mapped_column(Integer, default=1)
    ok: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    response_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    errcode: Mapped[str] = mapped_column(String(32), default="")
    detail: Mapped[str] = mapped_column(String(255), default="")
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)


class RobotAlert(db.Model):
    """One event for one robot, its text fixed at the change; send_id names the request that carried it."""

    __tablename__ = "carrier_robot_alerts"
    __table_args__ = (Index("ix_carrier_robot_alerts_robot_send", "robot_id", "send_id", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    robot_id: Mapped[int] = mapped_column(ForeignKey("carrier_robots.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(ForeignKey("notify_outbox.id", ondelete="CASCADE"), unique=True)
    send_id: Mapped[int | None] = mapped_column(ForeignKey("carrier_robot_sends.id", ondelete="SET NULL"),
                                                nullable=True)
    event_type: Mapped[str] = mapped_column(String(32))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), nullable=True)
    order_no: Mapped[str] = mapped_column(String(32), default="")
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    line: Mapped[str] = mapped_column(String(500))  # its one line in a digest
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    message = relationship("OutboxMessage", lazy="joined")
    send = relationship("RobotSend", lazy="joined")
