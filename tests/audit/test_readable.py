"""The audit log and SMS log read as sentences' parts: display names, translated fields, states and values,
money as ¥, no hashes or raw JSON; an order's creation masks the phone for roles that may not read it."""
import json
import re

import pytest
from sqlalchemy import select

from tests.access.helpers import admin_client
from tests.factories import make_order
from webapp.access.models import RolePermission
from webapp.audit import services
from webapp.auth.models import User
from webapp.extensions import db

PHONE = "+8613912345678"
ROLES = ("admin", "manager", "sales", "warehouse", "finance", "support")


def _page(client, query=""):
    return client.get(f"/admin/audit{query}").get_data(as_text=True)


def _body(html):
    """The entries table only (the filters hold codes as option values)."""
    return html[html.index('<div id="audit-entries">'):]


def _named(app, user, name):
    with app.app_context():
        db.session.get(User, user.id).display_name = name
        db.session.commit()


def test_log_shows_display_names_translated_fields_states_and_money(app, client, login_as, make_user):
    wang = make_user("manager", "wang")
    _named(app, wang, "王经理")
    with app.app_context():
        services.record("transition", actor=wang, via="web", order_no="SO20261126-0001", field="status",
                        old="confirmed", new="in_production")
        services.record("update", actor=wang, via="web", order_no="SO20261126-0001", field="discount",
                        old="0.00", new="1234.50")
        db.session.commit()
    admin_client(login_as, client)
    body = _body(_page(client, "?order_no=SO20261126-0001"))
    assert "王经理" in body and ">wang<" not in body
    assert "状态" in body and "已确认" in body and "生产中" in body
    assert "in_production" not in body and ">status<" not in body
    assert "优惠" in body and "¥1,234.50" in body
    assert _body(_page(client, "?actor=王经理")).count('<tr id="entry-') == 2  # filter by the name shown


def test_log_of_an_order_creation_has_no_raw_json_or_hashes(app, client, login_as):
    with app.app_context():
        order_no = make_order(status="confirmed", phone=PHONE).order_no
    admin_client(login_as, client)
    body = _body(_page(client, f"?order_no={order_no}"))
    assert "{" not in body and '"customer_name"' not in body and "&#34;" not in body
    assert "张三华" in body and "已确认" in body and "¥258.00" in body and "保温杯 500ml × 2" in body
    with app.app_context():
        hashes = list(db.session.scalars(select(services.AuditEntry.hash)))
    assert not any(h in body or h[:16] in body for h in hashes)


def test_export_keeps_the_raw_entry(app, runner):
    with app.app_context():
        order_no = make_order(phone=PHONE).order_no
    out = runner.invoke(args=["audit", "export", "--order", order_no]).output
    created = json.loads(out.splitlines()[0])
    assert json.loads(created["new"])["customer_phone"] == PHONE and created["hash"]


def _grant_audit_log(app, role, phone_readable):
    with app.app_context():
        db.session.add(RolePermission(role_code=role, field="audit_log", level="write"))
        if not phone_readable:
            db.session.add(RolePermission(role_code=role, field="customer_phone", level="hidden"))
        db.session.commit()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("phone_readable", [True, False])
def test_creation_entry_masks_the_phone_for_roles_that_may_not_read_it(app, client, login_as, role,
                                                                        phone_readable):
    _grant_audit_log(app, role, phone_readable)
    with app.app_context():
        order_no = make_order(phone=PHONE).order_no
        services.record("update", via="system", order_no=order_no, field="customer_phone",
                        old=PHONE, new="+8613800000000")
        db.session.commit()
    login_as(role, regions=["east"] if role == "warehouse" else None)
    resp = client.get(f"/admin/audit?order_no={order_no}")
    assert resp.status_code == 200
    body = _body(resp.get_data(as_text=True))
    full = "13912345678" in body
    masked = "139****5678" in body
    assert (full, masked) == ((True, False) if phone_readable else (False, True)), (role, phone_readable)
    assert ("138****0000" in body) is not phone_readable


def test_hidden_money_is_not_shown_to_a_log_reader_who_may_not_read_it(app, client, login_as):
    with app.app_context():
        db.session.add_all([RolePermission(role_code="support", field="audit_log", level="write")])
        db.session.commit()
        order_no = make_order(phone=PHONE).order_no
    login_as("support")
    body = _body(_page(client, f"?order_no={order_no}"))
    assert "¥" not in body and "利润" not in body and "成本" not in body


def test_matrix_change_reads_as_role_field_and_levels(app, client, login_as):
    admin = admin_client(login_as, client)
    with app.app_context():
        from webapp.access import services as access
        access.set_level("sales", "customer_phone", "read", actor=db.session.get(User, admin.id))
        db.session.commit()
    body = _body(_page(client, "?action=permission_changed"))
    assert "销售" in body and "客户电话" in body and "读" in body
    assert "sales.customer_phone" not in body and "role=sales" not in body


def test_photo_entry_shows_no_hash(app, client, login_as):
    with app.app_context():
        order_no = make_order(status="in_production").order_no
        services.record("photo", via="web", order_no=order_no, field="photos", new="ab" * 32, detail="photo 1, 10x10")
        db.session.commit()
    admin_client(login_as, client)
    body = _body(_page(client, "?action=photo"))
    assert "abab" not in body and "照片" in body


def test_log_in_english_translates_names(app, client, login_as):
    with app.app_context():
        order_no = make_order(status="confirmed").order_no
    admin_client(login_as, client)
    client.post("/lang", data={"lang": "en"})
    body = _body(_page(client, f"?order_no={order_no}"))
    assert "Order created" in body and "Confirmed" in body and "Customer name" in body


def test_sms_log_shows_order_names_and_translated_states(app, client, login_as):
    from webapp.notify.models import OutboxMessage, SmsRecord
    with app.app_context():
        order = make_order(status="in_transit", phone=PHONE)
        msg = OutboxMessage(key="t-1", medium="sms", topic="tracking", phone=PHONE, order_id=order.id,
                            payload=json.dumps({"text": "hi"}), status="sent", attempts=1)
        db.session.add(msg)
        db.session.flush()
        db.session.add(SmsRecord(message_id=msg.id, backend="record", phone=PHONE, body="您的订单已发货",
                                 order_id=order.id))
        db.session.commit()
        order_no = order.order_no
    admin_client(login_as, client)
    html = client.get("/notify/sms").get_data(as_text=True)
    main = html[html.index("<main"):]
    assert order_no in main and "您的订单已发货" in main
    assert "已发送" in main and ">sent<" not in main
    assert "短信" in main and ">sms · tracking<" not in main
    assert "{" not in re.sub(r"<script.*?</script>", "", main, flags=re.S)


@pytest.mark.parametrize("phone_readable", [True, False])
def test_sms_log_masks_the_phone_for_a_reader_who_may_not_read_it(app, client, login_as, phone_readable):
    from webapp.notify.models import OutboxMessage, SmsRecord
    with app.app_context():
        if not phone_readable:
            db.session.add(RolePermission(role_code="manager", field="customer_phone", level="hidden"))
        order = make_order(status="in_transit", phone=PHONE)
        msg = OutboxMessage(key="t-2", medium="sms", topic="outbound_sms", phone=PHONE, order_id=order.id,
                            payload="{}", status="failed", attempts=3, last_error="gateway said no")
        db.session.add(msg)
        db.session.flush()
        db.session.add(SmsRecord(message_id=msg.id, backend="http", phone=PHONE, body="已发货", order_id=order.id))
        db.session.commit()
    login_as("manager")
    main = client.get("/notify/sms").get_data(as_text=True).split("<main", 1)[1]
    assert ("13912345678" in main) is phone_readable
    assert ("139****5678" in main) is not phone_readable
    assert "失败" in main and "短信网关" in main and "给客户的物流链接" in main
