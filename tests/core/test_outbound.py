"""Outgoing calls reach only where intended: public addresses, known push services, listed hosts — pinned."""
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import urllib3

from webapp.core import outbound

NOT_PUBLIC = [
    "127.0.0.1", "127.255.255.254", "10.1.2.3", "172.16.0.1", "192.168.1.5", "169.254.169.254", "0.0.0.0",
    "100.64.0.1", "192.0.0.1", "198.18.0.1", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",   # IPv4-mapped
    "::7f00:1",                                                         # IPv4-compatible
    "2002:7f00:1::", "2002:c0a8:105::",                                 # 6to4 around 127.0.0.1, 192.168.1.5
    "64:ff9b::7f00:1", "64:ff9b::a00:1",                                # NAT64 around 127.0.0.1, 10.0.0.1
]
PUBLIC = ["8.8.8.8", "142.250.72.14", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_private_loopback_link_local_and_special_addresses_are_not_public(address):
    assert not outbound.is_public(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_global_unicast_addresses_are_public(address):
    assert outbound.is_public(address)


@pytest.mark.parametrize("spelling", ["2130706433", "0x7f.1", "0177.0.0.1", "127.1", "0x7f000001", "017700000001",
                                      "0x7f.0.0.1", "127.0.0.1.", "[::ffff:7f00:1]"])
def test_every_spelling_of_a_loopback_literal_is_seen_as_loopback(spelling):
    literal = outbound.ip_literal(spelling)
    assert literal is not None and not outbound.is_public(literal)


@pytest.mark.parametrize("host", ["fcm.googleapis.com", "cafe.example", "deadbeef", "1e100.net"])
def test_host_names_are_not_taken_for_literals(host):
    assert outbound.ip_literal(host) is None


KNOWN_PUSH = [
    "https://fcm.googleapis.com/fcm/send/dXJ0",
    "https://fcm.googleapis.com:443/wp/abc",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAA",
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
    "https://web.push.apple.com/QGuQyavXutnMb",
    "https://api.push.apple.com/3/device/x",
    "https://FCM.googleapis.com./fcm/send/x",
]
REFUSED_PUSH = [
    "http://fcm.googleapis.com/fcm/send/x",            # not https
    "https://fcm.googleapis.com:8443/fcm/send/x",      # not 443
    "https://fcm.googleapis.com.evil.cn/x",            # a look-alike
    "https://evilfcm.googleapis.com/x",
    "https://notify.windows.com/x",                    # *. means a subdomain
    "https://evil.cn/x",
    "https://127.0.0.1/x", "https://2130706433/x", "https://0x7f.1/x", "https://[::1]/x",
    "https://[::ffff:127.0.0.1]/x", "https://169.254.169.254/latest", "https://10.0.0.5:443/x", "https://0.0.0.0/",
    "https://user:pw@fcm.googleapis.com/x",
    "ftp://fcm.googleapis.com/x", "https:///x", "https://fcm.googleapis.com:99999/x",
    "https://fcm.googleapis.com:0/x", "", "javascript:alert(1)",
]


@pytest.mark.parametrize("url", KNOWN_PUSH)
def test_known_push_services_over_https_443_are_accepted(app, url):
    with app.app_context():
        outbound.check_url(url, push=True)


@pytest.mark.parametrize("url", REFUSED_PUSH)
def test_other_push_endpoints_are_refused(app, url):
    with app.app_context(), pytest.raises(outbound.Refused):
        outbound.check_url(url, push=True)


@pytest.mark.parametrize("allow, url, ok", [
    ("127.0.0.1:8080", "http://127.0.0.1:8080/push/a", True),
    ("127.0.0.1:8080", "http://127.0.0.1:8081/push/a", False),      # another port is not listed
    ("127.0.0.1", "http://127.0.0.1:9999/push/a", True),            # a bare host: any port
    ("127.0.0.1", "http://2130706433:9999/push/a", True),           # the same address, spelled otherwise
    ("[::1]:8443", "https://[::1]:8443/p", True),
    ("::1", "https://[::1]:1234/p", True),
    ("push.lan", "http://push.lan:8080/p", True),
    ("*.corp.lan", "https://push.corp.lan/p", True),
    ("push.lan", "http://other.lan/p", False),
])
def test_hosts_in_outbound_allow_may_be_used_for_push(app, allow, url, ok):
    app.config["OUTBOUND_ALLOW"] = allow
    with app.app_context():
        if ok:
            outbound.check_url(url, push=True)
        else:
            with pytest.raises(outbound.Refused):
                outbound.check_url(url, push=True)


def test_the_push_service_list_is_configurable(app):
    app.config["PUSH_HOSTS"] = "push.example.cn, *.push.vendor.cn"
    with app.app_context():
        outbound.check_url("https://push.example.cn/x", push=True)
        outbound.check_url("https://a.push.vendor.cn/x", push=True)
        with pytest.raises(outbound.Refused):
            outbound.check_url("https://fcm.googleapis.com/x", push=True)


@pytest.fixture
def dns(monkeypatch):
    """Answer name lookups from a table (name → addresses), counting the lookups of each name."""
    table, asked = {}, []
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host in table:
            asked.append(host)
            answer = table[host] if isinstance(table[host], list) else table[host]()
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                    for a in answer]
        return real(host, port, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return table, asked


@pytest.mark.parametrize("addresses", [["10.0.0.7"], ["8.8.8.8", "10.0.0.7"], ["::ffff:127.0.0.1"],
                                       ["169.254.169.254"], ["fd00::1"]])
def test_a_push_service_name_that_resolves_to_a_private_address_is_refused(app, dns, addresses):
    dns[0]["fcm.googleapis.com"] = addresses
    with app.app_context(), pytest.raises(outbound.Refused):
        outbound.resolve("https://fcm.googleapis.com/fcm/send/x", push=True)


def test_a_webhook_host_resolving_to_any_private_address_is_refused(app, dns):
    dns[0]["hooks.partner.cn"] = ["203.0.113.9", "192.168.0.2"]
    with app.app_context(), pytest.raises(outbound.Refused):
        outbound.resolve("https://hooks.partner.cn/orderhub")


def test_a_public_host_is_pinned_to_the_checked_address_with_tls_for_its_name(app, dns):
    dns[0]["fcm.googleapis.com"] = ["142.250.72.14"]
    with app.app_context():
        target = outbound.resolve("https://fcm.googleapis.com/fcm/send/x?y=1", push=True)
    assert (target.address, target.port, target.host_header, target.path) == (
        "142.250.72.14", 443, "fcm.googleapis.com", "/fcm/send/x?y=1")
    pool = outbound._pool(target, 5.0)
    assert isinstance(pool, urllib3.HTTPSConnectionPool)
    conn = pool._new_conn()  # what a connection of this pool dials, and the name TLS sends (SNI) and verifies
    assert (conn.host, conn.server_hostname, conn.assert_hostname) == (
        "142.250.72.14", "fcm.googleapis.com", "fcm.googleapis.com")


@pytest.fixture
def receiver():
    """A local HTTP server recording the Host header of each request."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(self.headers["Host"])
            self.send_response(201)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


def test_dns_rebinding_cannot_swap_the_address_after_the_check(app, dns, receiver):
    """The name is looked up once; the connection goes to that checked address, not to a second answer."""
    port, seen = receiver
    answers = iter([["127.0.0.1"], ["10.9.9.9"], ["10.9.9.9"]])
    dns[0]["erp.lan"] = lambda: next(answers)
    app.config["OUTBOUND_ALLOW"] = f"127.0.0.1:{port}"  # the address is listed, the name is not
    with app.app_context():
        status, _ms, _text = outbound.post(f"http://erp.lan:{port}/hook", b"{}", {})
    assert status == 201 and dns[1] == ["erp.lan"] and seen == [f"erp.lan:{port}"]


def test_a_refused_post_makes_no_connection_and_says_why(app, receiver):
    port, seen = receiver
    with app.app_context():
        status, _ms, detail = outbound.post(f"http://127.0.0.1:{port}/x", b"{}", {})
    assert status is None and "ORDERHUB_OUTBOUND_ALLOW" in detail and seen == []


def test_the_app_itself_is_refused_even_when_listed(app):
    app.config.update(OUTBOUND_ALLOW="127.0.0.1:5000", BASE_URL="http://127.0.0.1:5000")
    with app.app_context(), pytest.raises(outbound.Refused):
        outbound.resolve("http://127.0.0.1:5000/api/v1/orders")
