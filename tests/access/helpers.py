"""Shared helpers for access and audit tests: a logged-in admin with a fresh second verification."""
from sqlalchemy import select

from webapp.audit.models import AuditEntry
from webapp.extensions import db

PASSWORD = "correct-horse-1"
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://orderhub.test/admin/matrix"}


def step_up(client, password: str = PASSWORD):
    """Pass second verification with the password; return the response."""
    resp = client.post("/account/stepup", data={"password": password, "next": "/admin"})
    assert resp.status_code == 302, resp.data[:400]
    return resp


def admin_client(login_as, client, stepped_up: bool = True):
    """Log in a new admin (and step up); return the admin user."""
    user = login_as("admin")
    if stepped_up:
        step_up(client)
    return user


def entries(app, action: str | None = None) -> list[AuditEntry]:
    """Return audit entries (of one action), oldest first, detached from the session."""
    with app.app_context():
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        rows = list(db.session.scalars(stmt))
        db.session.expunge_all()
        return rows
