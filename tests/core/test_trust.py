"""What the server should know is never taken from the request: links sent outside, proxy headers,
free text in customer SMS, the offline replay's `via` and device time."""
import logging
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from tests.factories import make_order
from webapp import create_app
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.notify.models import OutboxMessage
from webapp.orders.models import Order

BASE = "https://shop.example.cn"
FORGED = {"Host": "evil.cn", "X-Forwarded-Host": "evil.cn", "X-Forwarded-Proto": "http"}


@pytest.fixture
def public_app(app, client):
    """The test app answering any Host (no SERVER_NAME), with its public address configured; the client
    talks to it under a forged Host (and forwarded headers) from the login on."""
    app.config.update(SERVER_NAME=None, BASE_URL=BASE)
    client.environ_base.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in FORGED.items()})
    return app


def _sms_texts(app):
    with app.app_context():
        return [m.payload for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.medium == "sms"))]


def _hand_over(app, client, carrier="顺丰", tracking_no="SF1234567890"):
    with app.app_context():
        no = make_order(status="outbound").order_no
    resp = client.post(f"/pack/{no}/handover", data={"carrier": carrier, "tracking_no": tracking_no})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:300]
    return no


def test_sms_tracking_link_ignores_a_forged_host(public_app, client, login_as):
    login_as("warehouse", regions=["east"])
    _hand_over(public_app, client)
    [payload] = _sms_texts(public_app)
    assert f"{BASE}/t/" in payload and "evil.cn" not in payload


def test_qr_label_url_ignores_a_forged_host(public_app, client, login_as, monkeypatch):
    from webapp.warehouse import qr
    encoded = []
    monkeypatch.setattr(qr, "svg", lambda text: encoded.append(text) or "<svg/>")
    login_as("manager")
    with public_app.app_context():
        no = make_order(status="confirmed").order_no
    assert client.get(f"/print/label/{no}").status_code == 200
    assert encoded and all(u.startswith(f"{BASE}/o/{no}?s=") for u in encoded)


def test_paper_form_pdf_links_ignore_a_forged_host(public_app, client, login_as, monkeypatch):
    from webapp.offline import paper_views
    printed = []
    monkeypatch.setattr(paper_views, "forms_pdf", lambda forms: printed.extend(forms) or b"%PDF-1.4")
    login_as("sales")
    assert client.post("/offline/paper", data={"count": "2"}).status_code == 200
    assert len(printed) == 2 and all(f["url"].startswith(f"{BASE}/") and "evil.cn" not in f["url"] for f in printed)


def test_without_a_base_url_links_use_the_configured_fallback_never_the_host(public_app, client, login_as,
                                                                           monkeypatch):
    public_app.config.update(BASE_URL=None, BASE_URL_FALLBACK="http://127.0.0.1:5000")
    monkeypatch.delenv("ORDERHUB_BASE_URL", raising=False)
    login_as("warehouse", regions=["east"])
    _hand_over(public_app, client)
    [payload] = _sms_texts(public_app)
    assert "http://127.0.0.1:5000/t/" in payload and "evil.cn" not in payload


def test_start_up_says_when_the_base_url_is_missing(database_url, tmp_path, caplog, monkeypatch):
    monkeypatch.delenv("ORDERHUB_BASE_URL", raising=False)
    monkeypatch.setattr(logging.getLogger("webapp"), "disabled", False)  # Alembic's fileConfig in this process
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_DIR": str(tmp_path / "up")}
    with caplog.at_level(logging.WARNING):
        create_app(config)
    assert any("ORDERHUB_BASE_URL is not set" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        create_app(config | {"BASE_URL": BASE})
    assert not any("ORDERHUB_BASE_URL" in r.getMessage() for r in caplog.records)


def _whoami(app):
    """Add a route answering what the app believes about the client (address, scheme, host)."""
    from flask import request

    app.add_url_rule("/_whoami", "whoami", lambda: {"addr": request.remote_addr, "scheme": request.scheme,
                                                    "host": request.host})
    return app.test_client()


PROXY_HEADERS = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.cn"}


def test_proxy_headers_are_ignored_unless_proxy_hops_are_configured(database_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_DIR": str(tmp_path / "u")})
    seen = _whoami(app).get("/_whoami", headers=PROXY_HEADERS).get_json()
    assert seen == {"addr": "127.0.0.1", "scheme": "http", "host": "localhost"}


def test_proxy_headers_count_behind_the_configured_hops(database_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_DIR": str(tmp_path / "u"),
                      "PROXY_HOPS": 1})
    headers = PROXY_HEADERS | {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}  # a client-sent value, then ours
    seen = _whoami(app).get("/_whoami", headers=headers).get_json()
    assert seen == {"addr": "203.0.113.7", "scheme": "https", "host": "evil.cn"}


@pytest.mark.parametrize("carrier", ["顺丰 点击 http://evil.cn 领奖", "中通快递 www.evil.cn", "顺丰<script>",
                                     "德邦 加微信 evil123 领红包"])
def test_a_carrier_name_outside_the_known_list_never_reaches_the_sms(public_app, client, login_as, carrier):
    login_as("warehouse", regions=["east"])
    _hand_over(public_app, client, carrier=carrier)
    [payload] = _sms_texts(public_app)
    assert carrier not in payload and "evil" not in payload and "SF1234567890" in payload
    with public_app.app_context():
        assert db.session.scalar(select(Order.carrier).where(Order.tracking_no == "SF1234567890")) == carrier


def test_a_known_carrier_name_appears_in_the_sms(public_app, client, login_as):
    login_as("warehouse", regions=["east"])
    _hand_over(public_app, client, carrier=" 顺丰 ")
    [payload] = _sms_texts(public_app)
    assert "（顺丰 SF1234567890）" in payload


def test_a_form_post_carrying_the_replay_headers_is_audited_as_web_without_device_time(app, client, login_as):
    login_as("manager")
    with app.app_context():
        no = make_order().order_no
    device = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()
    forged = {"X-OrderHub-Via": "offline", "X-Device-Time": device,
              "Idempotency-Key": "0b5d2f0e-1111-4000-8000-00000000abcd", "X-OrderHub-Replay": "forged.ticket"}
    resp = client.post(f"/orders/{no}/edit", data={"notes": "补记"}, headers=forged,
                       content_type="application/x-www-form-urlencoded")
    assert resp.status_code in (200, 303)
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.order_no == no,
                                                              AuditEntry.action == "update")).all()
    assert [(e.via, e.device_at) for e in entries] == [("web", None)]
