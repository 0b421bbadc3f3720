"""Outgoing calls reach public hosts, or private ones only when ORDERHUB_OUTBOUND_ALLOW lists them."""
import pytest

from webapp.webhooks import outbound


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://localhost:9/x", "http://[::1]:9/x",
                                 "http://[::ffff:127.0.0.1]:9/x", "http://192.168.1.5/x", "http://169.254.169.254/",
                                 "http://0.0.0.0:9/", "gopher://127.0.0.1/", "http:///x", "http://127.0.0.1:99999/"])
def test_private_loopback_and_odd_urls_are_refused(app, url):
    with app.app_context(), pytest.raises(outbound.Refused):
        outbound.resolve(url)


def test_a_listed_host_and_port_is_allowed_and_pinned_to_its_address(app):
    app.config["OUTBOUND_ALLOW"] = "127.0.0.1:9, erp.lan"
    with app.app_context():
        target = outbound.resolve("http://127.0.0.1:9/a?b=1")
        assert (target.address, target.port, target.path, target.host_header) == ("127.0.0.1", 9, "/a?b=1",
                                                                                 "127.0.0.1:9")
        with pytest.raises(outbound.Refused):
            outbound.resolve("http://127.0.0.1:10/")  # another port is not listed


def test_the_environment_variable_is_read_when_config_is_unset(app, monkeypatch):
    monkeypatch.setenv("ORDERHUB_OUTBOUND_ALLOW", "127.0.0.1")
    with app.app_context():
        assert outbound.resolve("http://127.0.0.1:1234/").address == "127.0.0.1"


def test_the_app_itself_is_refused(app):
    app.config.update(OUTBOUND_ALLOW="127.0.0.1:5000", BASE_URL="http://127.0.0.1:5000")
    with app.app_context(), pytest.raises(outbound.Refused):
        outbound.resolve("http://127.0.0.1:5000/api/v1/orders")


def test_a_refused_post_makes_no_connection_and_says_why(app):
    with app.app_context():
        status, _ms, detail = outbound.post("http://127.0.0.1:9/x", b"{}", {})
    assert status is None and "ORDERHUB_OUTBOUND_ALLOW" in detail
