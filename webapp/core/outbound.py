"""Outgoing HTTP reaches only where intended: one rule for push, webhooks, robots and carriers.

- Never a private, loopback, link-local, unspecified, multicast or otherwise non-global address
  (IPv4, IPv6, IPv4 inside IPv6 — mapped, compatible, 6to4, NAT64 — and every spelling of an IPv4
  literal: decimal, octal, hex), unless the host or address (optionally with :port) is listed in
  ORDERHUB_OUTBOUND_ALLOW (tests and LAN set-ups).
- Push endpoints further go only to the known push services (ORDERHUB_PUSH_HOSTS, `*.` for any
  subdomain) over https on port 443, or to a listed host.
- A host is resolved once, every address it gives is checked, and the request is sent to that
  checked address (a second DNS answer cannot swap in an internal one, "DNS rebinding"); TLS still
  verifies the certificate for the URL's host name (SNI) and the Host header stays the URL's.
  Redirects are never followed.
"""
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from flask_babel import gettext as _

from webapp.config import setting
from webapp.core.origin import base_url

# Web Push services of the browsers in use: Chrome/Edge-Chromium/Samsung/Opera (FCM), Firefox,
# legacy Edge/Windows (WNS) and Safari/iOS (APNs web push).
PUSH_HOSTS = ("fcm.googleapis.com", "updates.push.services.mozilla.com", "*.notify.windows.com",
              "web.push.apple.com", "*.push.apple.com")
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
SITE_LOCAL = ipaddress.ip_network("fec0::/10")
_local = threading.local()


class Refused(ValueError):
    """A URL outgoing calls may not reach, with the reason (translated)."""


@dataclass(frozen=True)
class Target:
    """Where a request really goes: scheme, the URL's host and port, the checked address, host header, path."""

    scheme: str
    host: str
    port: int
    address: str
    host_header: str
    path: str


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Return the address a host spells literally (any IPv4 spelling inet_aton takes), else None."""
    text = host.strip("[]").rstrip(".").split("%")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if text and all(c in "0123456789abcdefx." for c in text.lower()):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def is_public(address) -> bool:
    """Say whether an address is a global unicast one (IPv4 carried inside IPv6 is judged as IPv4)."""
    ip = ipaddress.ip_address(str(address).split("%")[0])
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and any(ip in net for net in NAT64):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is None and int(ip) >> 32 == 0:  # ::a.b.c.d, the old "IPv4-compatible" form
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
        if ip in SITE_LOCAL:
            return False
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def _listed(entries, default_port=None) -> list[tuple[str, int | None]]:
    """Parse host / host:port / [v6]:port entries into (host or canonical address, port or None)."""
    out = []
    for raw in entries:
        item = raw.strip().lower().rstrip(".")
        if not item:
            continue
        host, port = item, default_port
        if item.startswith("[") and "]" in item:
            host, _sep, rest = item[1:].partition("]")
            port = int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else default_port
        elif item.count(":") == 1:
            host, _sep, text = item.partition(":")
            port = int(text) if text.isdigit() else default_port
        literal = ip_literal(host)
        out.append((str(literal) if literal else host, port))
    return out


def allow_list() -> list[tuple[str, int | None]]:
    """Return the (host, port or None) pairs listed in ORDERHUB_OUTBOUND_ALLOW."""
    return _listed(str(setting("OUTBOUND_ALLOW", "")).split(","))


def push_hosts() -> list[str]:
    """Return the push service host patterns (ORDERHUB_PUSH_HOSTS, else the browsers' services)."""
    configured = setting("PUSH_HOSTS")
    items = str(configured).split(",") if configured else PUSH_HOSTS
    return [item.strip().lower().rstrip(".") for item in items if item.strip()]


def _matches(host: str, pattern: str) -> bool:
    """Match a host against `name` or `*.name` (any subdomain, not the name itself)."""
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


def is_allowed(host: str, port: int, address: str | None = None) -> bool:
    """Say whether the host (or its address) on this port is listed in ORDERHUB_OUTBOUND_ALLOW."""
    names = {host} | ({str(ipaddress.ip_address(address.split("%")[0]))} if address else set())
    return any(listed_port in (None, port) and any(_matches(name, listed) for name in names)
               for listed, listed_port in allow_list())


def _parse(url: str) -> tuple[str, str, int]:
    """Return (scheme, host, port) of an http(s) URL naming a host; raise Refused otherwise."""
    parts = urlsplit(url or "")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or port in (-1, 0):
        raise Refused(_("The URL must start with http:// or https:// and name a host."))
    if parts.username is not None or parts.password is not None:
        raise Refused(_("The URL must not contain a user name or password."))
    host = parts.hostname.lower().rstrip(".")
    literal = ip_literal(host)
    return parts.scheme, str(literal) if literal else host, port or (443 if parts.scheme == "https" else 80)


def check_url(url: str, push: bool = False) -> tuple[str, str, int]:
    """Check what can be checked without DNS (scheme, host list, port, literal addresses); return (scheme, host, port).

    Used where a URL is entered (a push subscription, a webhook) before it is stored.
    """
    scheme, host, port = _parse(url)
    if _is_self(host, port):
        raise Refused(_("The URL points at OrderHub itself."))
    if is_allowed(host, port):
        return scheme, host, port
    literal = ip_literal(host)
    if literal is not None and not is_public(literal):
        raise Refused(_("The host %(host)s is a private or local address (%(address)s) that is not "
                        "allowed (ORDERHUB_OUTBOUND_ALLOW).", host=host, address=literal))
    if push and not (scheme == "https" and port == 443 and any(_matches(host, p) for p in push_hosts())):
        raise Refused(_("Push messages go only to a known push service over https (ORDERHUB_PUSH_HOSTS)."))
    return scheme, host, port


def _is_self(host: str, port: int) -> bool:
    """Say whether host:port is this app's own public address (never a loop through our own API)."""
    parts = urlsplit(base_url())
    own_port = parts.port or (443 if parts.scheme == "https" else 80)
    return bool(parts.hostname) and (parts.hostname.lower(), own_port) == (host, port)


def resolve(url: str, push: bool = False) -> Target:
    """Check a URL, resolve its host and check every address; raise Refused with the reason when it may not be called."""
    scheme, host, port = check_url(url, push=push)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(_("The host %(host)s cannot be found.", host=host)) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        if not is_public(address) and not is_allowed(host, port, address):
            raise Refused(_("The host %(host)s is a private or local address (%(address)s) that is not "
                            "allowed (ORDERHUB_OUTBOUND_ALLOW).", host=host, address=address))
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, host, port, addresses[0], parts.netloc.rsplit("@", 1)[-1], path)


def _pool(target: Target, timeout: float) -> urllib3.HTTPConnectionPool:
    """Return this thread's keep-alive pool to the checked address (TLS still checks the host name)."""
    pools = _local.__dict__.setdefault("pools", {})
    key = (target.scheme, target.address, target.port, target.host)
    if key not in pools:
        options = {"timeout": urllib3.Timeout(connect=min(timeout, 5.0), read=timeout), "retries": False, "maxsize": 1}
        if target.scheme == "https":
            pools[key] = urllib3.HTTPSConnectionPool(target.address, target.port, server_hostname=target.host,
                                                     assert_hostname=target.host, **options)
        else:
            pools[key] = urllib3.HTTPConnectionPool(target.address, target.port, **options)
    return pools[key]


@dataclass(frozen=True)
class Answer:
    """What a receiver answered: status, headers and the start of the body (as requests names them)."""

    status_code: int
    headers: dict
    text: str
    reason: str = ""


def send(url: str, body: bytes, headers: dict, timeout: float = 10.0, keep: int = 200,
         push: bool = False) -> Answer:
    """POST body to the checked, pinned address of url; raise Refused, or urllib3's HTTPError when unreachable."""
    target = resolve(url, push=push)
    resp = _pool(target, timeout).urlopen("POST", target.path, body=body, redirect=False, preload_content=False,
                                          headers=dict(headers) | {"Host": target.host_header})
    start = resp.read(keep)
    resp.drain_conn()  # the rest is not kept, but must be read before the connection is reused
    resp.release_conn()
    return Answer(resp.status, dict(resp.headers), start.decode(errors="replace"), resp.reason or "")


def post(url: str, body: bytes, headers: dict, timeout: float = 10.0, keep: int = 200) -> tuple[int | None, int, str]:
    """POST body to url if it may be reached; return (status or None, milliseconds, error or response start)."""
    started = time.perf_counter()
    try:
        answer = send(url, body, headers, timeout=timeout, keep=keep)
    except Refused as exc:
        return None, _ms(started), str(exc)
    except urllib3.exceptions.HTTPError as exc:
        return None, _ms(started), f"{type(exc).__name__}: {exc}"
    return answer.status_code, _ms(started), answer.text


class PushSession:
    """Stands in for requests.Session in pywebpush: posts to push services through the same checks and pinning."""

    def post(self, url: str, data: bytes | None = None, headers=None, timeout: float = 10.0) -> Answer:
        """POST an encrypted push message to a checked push service."""
        return send(url, data or b"", dict(headers or {}), timeout=timeout, keep=2000, push=True)


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
