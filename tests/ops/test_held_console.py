"""The admin console shows messages held after a restore; an admin (stepped up) sends or drops them, audited."""
import sqlalchemy as sa

from tests.access.helpers import admin_client
from tests.factories import make_order
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.notify import outbox
from webapp.notify.models import OutboxMessage
from webapp.ops import restored


def _held(app, n=2) -> list[int]:
    """Queue n SMS and hold them as a restore does."""
    with app.app_context():
        order = make_order()
        for i in range(n):
            outbox.enqueue(f"sms:held:{i}", "sms", "outbound_sms", {"text": "x"}, phone="+8613800138000",
                           order_id=order.id)
        ids = restored.hold_unsent("held after the restore of the backup made 2026-12-01T03:30:00+00:00")
        db.session.commit()
        return ids


def _statuses(app) -> dict:
    with app.app_context():
        return dict(db.session.execute(sa.select(OutboxMessage.id, OutboxMessage.status)).all())


def test_the_console_flags_held_messages_and_lists_them(app, client, login_as):
    ids = _held(app)
    admin_client(login_as, client, stepped_up=False)
    console = client.get("/admin").get_data(as_text=True)
    assert "data-held-outbox" in console and "/admin/outbox" in console
    page = client.get("/admin/outbox")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert all(f'name="id" value="{i}"' in html for i in ids)


def test_an_admin_sends_one_and_drops_the_rest_and_each_is_audited(app, client, login_as):
    ids = _held(app)
    admin = admin_client(login_as, client)
    assert client.post("/admin/outbox/release", data={"id": str(ids[0])}).status_code == 303
    assert client.post("/admin/outbox/drop", data={"all": "1"}).status_code == 303
    assert _statuses(app) == {ids[0]: "pending", ids[1]: "skipped"}
    with app.app_context():
        rows = db.session.execute(sa.select(AuditEntry.action, AuditEntry.actor, AuditEntry.new)
                                  .where(AuditEntry.action.like("outbox_%")).order_by(AuditEntry.id)).all()
    assert rows == [("outbox_released", admin.username, str(ids[0])), ("outbox_dropped", admin.username, str(ids[1]))]
    assert "data-held-outbox" not in client.get("/admin").get_data(as_text=True)


def test_a_change_needs_second_verification_and_a_stale_choice_changes_nothing(app, client, login_as):
    ids = _held(app)
    admin_client(login_as, client, stepped_up=False)
    assert client.post("/admin/outbox/drop", data={"all": "1"}).status_code in (302, 401, 403)
    assert set(_statuses(app).values()) == {"held"}
    client.post("/account/stepup", data={"password": "correct-horse-1", "next": "/admin"})
    stale = client.post("/admin/outbox/release", data={"id": [str(ids[0]), "9999"]})
    assert stale.status_code == 409 and set(_statuses(app).values()) == {"held"}
    assert client.post("/admin/outbox/release", data={}).status_code == 400


def test_roles_without_the_console_may_not_see_or_release(app, client, login_as):
    _held(app)
    login_as("manager")
    assert client.get("/admin/outbox").status_code == 403
    assert client.post("/admin/outbox/release", data={"all": "1"}).status_code == 403
    assert set(_statuses(app).values()) == {"held"}
