"""Secrets the app makes for itself (e.g. the VAPID key), kept in the database so every host shares them."""
from typing import Callable

from sqlalchemy import String, Text, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class AppSecret(db.Model):
    """One named secret, written once by whichever host needed it first and read by all."""

    __tablename__ = "app_secrets"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


def _read(conn, name: str) -> str | None:
    return conn.execute(select(AppSecret.value).where(AppSecret.name == name)).scalar()


def get_or_create(name: str, make: Callable[[], str]) -> str:
    """Return the secret `name`; the first caller anywhere stores make() and every later one reads it.

    It runs on a connection of its own and commits at once, so the caller's transaction (which may
    roll back) can neither lose the secret nor hold a second host waiting on it. Of two hosts racing,
    the primary key lets one insert win and the other reads the winner's value.
    """
    with db.engine.connect() as conn:
        value = _read(conn, name)
        conn.rollback()
        if value is not None:
            return value
        candidate = make()
        try:
            conn.execute(insert(AppSecret).values(name=name, value=candidate, created_at=utcnow()))
            conn.commit()
            return candidate
        except (IntegrityError, OperationalError):
            conn.rollback()
        value = _read(conn, name)
        conn.rollback()
    if value is None:
        raise RuntimeError(f"could not store or read the app secret {name!r}")
    return value
