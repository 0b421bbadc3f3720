"""Tables of the auth domain: roles, regions, users, login sessions, login attempts."""
from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


user_regions = Table(
    "user_regions",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("region_code", ForeignKey("regions.code"), primary_key=True),
)


class Role(db.Model):
    """A role; its field permissions and row scope live in the access domain."""

    __tablename__ = "roles"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    home: Mapped[str] = mapped_column(String(16), default="board", server_default="board")

    def label(self, locale: str) -> str:
        """Return the role's name in the given locale."""
        return self.name_en if locale == "en" else self.name_zh


class Region(db.Model):
    """A sales/warehouse region (华东 …), keyed by the contract's code."""

    __tablename__ = "regions"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(32))

    def label(self, locale: str) -> str:
        """Return the region's name in the given locale."""
        return self.name_en if locale == "en" else self.name_zh


class User(UserMixin, db.Model):
    """Somebody who logs in; session_epoch ends every session of the user when bumped."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role_code: Mapped[str] = mapped_column(ForeignKey("roles.code"), index=True)
    locale: Mapped[str | None] = mapped_column(String(8), nullable=True)
    is_active_user: Mapped[bool] = mapped_column("active", Boolean, default=True)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_last_counter: Mapped[int | None] = mapped_column(Integer, nullable=True)  # last TOTP step accepted
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    role = relationship(Role, lazy="joined")
    regions = relationship(Region, secondary=user_regions, lazy="selectin", order_by=Region.code)

    @property
    def is_active(self) -> bool:
        return self.is_active_user

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    @property
    def region_codes(self) -> list[str]:
        return [r.code for r in self.regions]

    @property
    def name(self) -> str:
        return self.display_name or self.username


class LoginAttempt(db.Model):
    """Every login attempt, kept for throttling and for the audit trail."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    success: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(16))  # ok, bad_password, unknown_user, disabled, throttled
    device: Mapped[str | None] = mapped_column(String(32), nullable=True)  # nonce of a valid device cookie
    at = mapped_column(UTCDateTime, default=utcnow, index=True, nullable=False)


class UserSession(db.Model):
    """One login on one device; the cookie holds a token, the table only its SHA-256."""

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_seen_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    user_agent: Mapped[str] = mapped_column(String(120), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    revoked_at = mapped_column(UTCDateTime, nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)

    user = relationship(User, lazy="joined")
