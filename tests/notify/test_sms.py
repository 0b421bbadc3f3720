"""Hand-over → one SMS to the customer with the tracking link, through the configured gateway."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tests.factories import make_order
from tests.notify.helpers import drain, step
from webapp.extensions import db
from webapp.notify.models import OutboxMessage, SmsRecord


@pytest.fixture
def shipped(app):
    """An order handed to the courier (carrier and tracking number), returning its id."""
    with app.app_context():
        oid = make_order(phone="+8613800138000").id
        for to in ("confirmed", "in_production", "outbound"):
            step(oid, to)
        step(oid, "in_transit", carrier="顺丰", tracking_no="SF1234567890")
    return oid


def test_outbound_queues_one_sms_with_a_working_tracking_link(app, client, shipped):
    with app.app_context():
        drain()
        [record] = db.session.scalars(select(SmsRecord)).all()
    assert record.phone == "+8613800138000" and record.backend == "record"
    assert "顺丰 SF1234567890" in record.body
    link = record.body.split("：")[-1]
    assert link.startswith("http://orderhub.test/t/")
    page = client.get(link.replace("http://orderhub.test", ""))
    assert page.status_code == 200 and "SF1234567890" in page.get_data(as_text=True)


def test_sms_is_sent_once_even_when_drained_again(app, shipped):
    with app.app_context():
        drain()
        drain()
        from webapp.notify.services import queue_outbound_sms
        from webapp.orders.models import Order
        assert queue_outbound_sms(db.session.get(Order, shipped)) is None  # same key: not queued twice
        db.session.commit()
        assert len(db.session.scalars(select(SmsRecord)).all()) == 1


@pytest.fixture
def provider():
    """A fake SMS provider on 127.0.0.1 recording what it is sent."""
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            got.append({"headers": dict(self.headers),
                        "body": self.rfile.read(int(self.headers["Content-Length"]))})
            self.send_response(200)
            self.send_header("Content-Length", "7")
            self.end_headers()
            self.wfile.write(b"msg-001")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/send", got
    server.shutdown()
    server.server_close()


def test_http_gateway_posts_the_configured_template_with_auth(app, shipped, provider, monkeypatch):
    url, got = provider
    monkeypatch.setenv("ORDERHUB_SMS_BACKEND", "http")
    monkeypatch.setenv("ORDERHUB_SMS_HTTP_URL", url)
    monkeypatch.setenv("ORDERHUB_SMS_HTTP_AUTH", "Bearer sms-secret")
    monkeypatch.setenv("ORDERHUB_SMS_HTTP_BODY", '{"mobile": $phone, "content": $text, "sign": "订单中枢"}')
    with app.app_context():
        drain()
        record = db.session.scalar(select(SmsRecord))
        message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.medium == "sms"))
    [call] = got
    body = json.loads(call["body"])
    assert call["headers"]["Authorization"] == "Bearer sms-secret"
    assert call["headers"]["Idempotency-Key"] == message.key
    assert body["mobile"] == "+8613800138000" and "/t/" in body["content"] and body["sign"] == "订单中枢"
    assert record.backend == "http" and record.provider_ref == "msg-001"


def test_provider_outage_is_retried(app, shipped, monkeypatch):
    monkeypatch.setenv("ORDERHUB_SMS_BACKEND", "http")
    monkeypatch.setenv("ORDERHUB_SMS_HTTP_URL", "http://127.0.0.1:9/nothing-listens-here")
    with app.app_context():
        drain()
        message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.medium == "sms"))
        assert message.status == "pending" and message.attempts == 1 and message.last_error
        assert db.session.scalar(select(SmsRecord)) is None


@pytest.mark.parametrize("role, status", [("admin", 200), ("manager", 200), ("warehouse", 403), ("sales", 403),
                                          ("finance", 403), ("support", 403)])
def test_sms_log_page_is_for_admins_and_managers(app, client, login_as, shipped, role, status):
    with app.app_context():
        drain()
    login_as(role)
    resp = client.get("/notify/sms")
    assert resp.status_code == status
    if status == 200:
        assert "SF1234567890" in resp.get_data(as_text=True)
