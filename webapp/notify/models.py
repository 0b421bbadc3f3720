"""Tables of the notify domain: push subscriptions, the outbox, delivery attempts, SMS, alarms."""
from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class PushSubscription(db.Model):
    """One device's web-push subscription (PushSubscription.toJSON()) for one user."""

    __tablename__ = "push_subscriptions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1024), unique=True)
    p256dh: Mapped[str] = mapped_column(String(255))
    auth: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(255), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_success_at = mapped_column(UTCDateTime, nullable=True)
    last_failure_at = mapped_column(UTCDateTime, nullable=True)

    user = relationship("User", lazy="joined")


class OutboxMessage(db.Model):
    """A notification or outgoing message, written in the transaction of the change causing it.

    status: pending → sending (claimed by one worker until lease_until) → sent | skipped | failed;
    held: brought back by a backup restore, never claimed until an operator releases it (webapp.ops.held).
    """

    __tablename__ = "notify_outbox"
    __table_args__ = (Index("ix_notify_outbox_due", "status", "next_attempt_at", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)  # idempotency: one message per key
    medium: Mapped[str] = mapped_column(String(8))  # how it travels: push, sms, webhook, robot, tracking
    topic: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True,
                                                index=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), nullable=True,
                                                 index=True)
    payload: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(8), default="normal")
    ttl: Mapped[int] = mapped_column(Integer, default=86400)
    status: Mapped[str] = mapped_column(String(8), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    lease_until = mapped_column(UTCDateTime, nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    sent_at = mapped_column(UTCDateTime, nullable=True)


class DeliveryAttempt(db.Model):
    """One try to hand a message to one device or gateway, and what came of it."""

    __tablename__ = "notify_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("notify_outbox.id", ondelete="CASCADE"), index=True)
    subscription_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # kept after the device goes
    worker: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[str] = mapped_column(String(8))  # ok, gone, retry, refused
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class SmsRecord(db.Model):
    """An SMS handed to the gateway; the default (recording) backend only keeps these rows."""

    __tablename__ = "sms_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("notify_outbox.id", ondelete="CASCADE"), unique=True)
    backend: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    provider_ref: Mapped[str] = mapped_column(String(128), default="")
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), nullable=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class OverdueAlarm(db.Model):
    """One alarm level raised for one breach (an order untouched since `since`)."""

    __tablename__ = "overdue_alarms"
    __table_args__ = (UniqueConstraint("order_id", "since", "level", name="uq_overdue_alarms_breach"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    since = mapped_column(UTCDateTime, nullable=False)
    level: Mapped[int] = mapped_column(Integer)  # 1 alarm, 2 escalation
    raised_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
