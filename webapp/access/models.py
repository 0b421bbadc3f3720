"""Tables of the access domain: the role × field matrix and each role's row scope."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class RolePermission(db.Model):
    """One cell of the matrix: what a role may do with an order field (hidden/read/write)."""

    __tablename__ = "role_permissions"
    role_code: Mapped[str] = mapped_column(ForeignKey("roles.code", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    level: Mapped[str] = mapped_column(String(8))


class RoleScope(db.Model):
    """Which orders a role sees at all: own, region or all."""

    __tablename__ = "role_scopes"
    role_code: Mapped[str] = mapped_column(ForeignKey("roles.code", ondelete="CASCADE"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(8))
