"""The SMS gateway is called under the outbound rule: private addresses only when listed, the checked address pinned."""
import socket
from unittest import mock

import pytest
from sqlalchemy import select

from tests.notify.test_sms import provider, shipped  # noqa: F401 (fixtures)
from tests.notify.helpers import drain
from webapp.extensions import db
from webapp.notify.models import OutboxMessage, SmsRecord


def _use_gateway(monkeypatch, url):
    monkeypatch.setenv("ORDERHUB_SMS_BACKEND", "http")
    monkeypatch.setenv("ORDERHUB_SMS_HTTP_URL", url)


def _message():
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.medium == "sms"))


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}/send", "http://localhost:{port}/send",
                                 "http://[::ffff:127.0.0.1]:{port}/send", "http://2130706433:{port}/send"])
def test_a_gateway_on_a_private_address_is_refused_unless_listed(app, shipped, provider, monkeypatch, url):  # noqa: F811
    real, got = provider
    app.config["OUTBOUND_ALLOW"] = ""
    _use_gateway(monkeypatch, url.format(port=real.rsplit(":", 1)[1].split("/")[0]))
    with app.app_context():
        drain()
        message = _message()
        assert message.status == "failed" and "ORDERHUB_OUTBOUND_ALLOW" in message.last_error
        assert db.session.scalar(select(SmsRecord)) is None
    assert got == []  # nothing reached the private address


def test_a_listed_gateway_is_reached_and_the_checked_address_is_pinned(app, shipped, provider, monkeypatch):  # noqa: F811
    url, got = provider
    _use_gateway(monkeypatch, url.replace("127.0.0.1", "sms-gateway.example"))
    app.config["OUTBOUND_ALLOW"] = "sms-gateway.example"
    real, asked = socket.getaddrinfo, []

    def dns(host, *args, **kwargs):  # the first answer is the gateway, any later one an internal address
        if host != "sms-gateway.example":
            return real(host, *args, **kwargs)
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1" if len(asked) == 1 else "10.9.9.9", 0))]
    with app.app_context(), mock.patch("socket.getaddrinfo", side_effect=dns):
        drain()
        assert _message().status == "sent", _message().last_error
    assert asked == ["sms-gateway.example"]  # resolved once, then connected to the checked address
    [call] = got
    assert call["headers"]["Host"].startswith("sms-gateway.example:")


def test_an_unlisted_public_looking_name_that_resolves_privately_is_refused(app, shipped, monkeypatch):  # noqa: F811
    _use_gateway(monkeypatch, "https://sms.example.com/send")
    app.config["OUTBOUND_ALLOW"] = ""
    with app.app_context(), mock.patch("socket.getaddrinfo", return_value=[(2, 1, 6, "", ("192.168.1.20", 443))]):
        drain()
        message = _message()
        assert message.status == "failed" and "192.168.1.20" in message.last_error
