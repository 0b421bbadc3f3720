"""Tables of the approvals domain: rules as data, each order's approval chain and decisions, risk holds,
delegations.

A level of a chain is a small dict: {"role": "manager"} (any active user holding that role) or
{"user": "username"} (one named person). A request copies its chain when the order enters
awaiting_approval, so editing a rule later changes only new requests.
"""
import json

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class ApprovalRule(db.Model):
    """When an order needs approval and by whom (levels).

    Conditions, all of which must hold: goods value from, discount share above, margin below, channel
    in, region in, the customer's first order. A rule with no condition at all never matches.
    """

    __tablename__ = "approval_rules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    min_goods = mapped_column(Numeric(14, 2), nullable=True)           # goods value (before discount) ≥
    min_discount_share = mapped_column(Numeric(6, 4), nullable=True)   # discount / goods value >
    max_margin = mapped_column(Numeric(6, 4), nullable=True)           # profit / amount due <
    channels: Mapped[str] = mapped_column(String(255), default="")  # "web,wecom"; "" = any
    regions: Mapped[str] = mapped_column(String(255), default="")   # "east,north"; "" = any
    new_customer: Mapped[bool] = mapped_column(Boolean, default=False)  # first order
    levels_json: Mapped[str] = mapped_column(Text, default="[]")
    escalate_hours: Mapped[int] = mapped_column(Integer, default=4)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    @property
    def levels(self) -> list[dict]:
        return json.loads(self.levels_json or "[]")


class ApprovalRequest(db.Model):
    """One order's approval: the chain it started with, the level now waiting, and the outcome."""

    __tablename__ = "approval_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, approved, rejected, superseded
    rules: Mapped[str] = mapped_column(String(255), default="")       # codes of the rules that triggered
    reasons: Mapped[str] = mapped_column(Text, default="")            # why, as shown to people
    chain_json: Mapped[str] = mapped_column(Text, default="[]")
    current_level: Mapped[int] = mapped_column(Integer, default=0)
    escalate_hours: Mapped[int] = mapped_column(Integer, default=4)
    escalated_level: Mapped[int] = mapped_column(Integer, default=-1)  # last level escalated
    level_since = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    closed_at = mapped_column(UTCDateTime, nullable=True)
    closed_reason: Mapped[str] = mapped_column(Text, default="")

    decisions = relationship("ApprovalDecision", order_by="ApprovalDecision.level", lazy="selectin")

    @property
    def chain(self) -> list[dict]:
        return json.loads(self.chain_json or "[]")


class ApprovalDecision(db.Model):
    """One decision on a level; the unique (request, level, seat) makes exactly one concurrent decision count."""

    __tablename__ = "approval_decisions"
    __table_args__ = (UniqueConstraint("request_id", "level", "seat", name="uq_approval_decisions_seat"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    # 0 on a "one of" level (so one decision counts); the member's user id on an "all of" level
    seat: Mapped[int] = mapped_column(Integer, default=0)
    decision: Mapped[str] = mapped_column(String(16))  # approve, reject
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    actor = relationship("User", foreign_keys=[actor_id], lazy="joined")
    on_behalf_of = relationship("User", foreign_keys=[on_behalf_of_id], lazy="joined")


class RiskHold(db.Model):
    """Why an order is held for risk review, until a reviewer clears it or cancels the order."""

    __tablename__ = "risk_holds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # vague_address, phone_frequency, cross_channel_duplicate
    detail: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open, cleared, cancelled
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    resolved_at = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")

    order = relationship("Order", lazy="joined")
    resolved_by = relationship("User", lazy="joined")


class Delegation(db.Model):
    """While `user` is away (starts_at … ends_at) `delegate` may decide their levels for them."""

    __tablename__ = "approval_delegations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    starts_at = mapped_column(UTCDateTime, nullable=False)
    ends_at = mapped_column(UTCDateTime, nullable=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    delegate = relationship("User", foreign_keys=[delegate_id], lazy="joined")


class BlockedPhone(db.Model):
    """A phone number whose orders are held for review (a risk rule kept as data)."""

    __tablename__ = "blocked_phones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
