"""Outgoing HTTP that reaches only allowed hosts: public addresses, or those in ORDERHUB_OUTBOUND_ALLOW.

A host is resolved once and the request goes to that very address (a second DNS answer cannot
swap in an internal one); private, loopback, link-local and reserved addresses are refused unless
the host or address (optionally with :port) is listed. Redirects are never followed.
"""
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from flask import has_request_context, request
from flask_babel import gettext as _

from webapp.config import setting
from webapp.tracking.services import base_url

_local = threading.local()


class Refused(ValueError):
    """A URL outgoing calls may not reach, with the reason (translated)."""


@dataclass(frozen=True)
class Target:
    """Where a request really goes: scheme, the URL's host and port, the resolved address, host header, path."""

    scheme: str
    host: str
    port: int
    address: str
    host_header: str
    path: str


def allow_list() -> set[str]:
    """Return the hosts and host:port pairs listed in ORDERHUB_OUTBOUND_ALLOW."""
    return {item.strip().lower() for item in str(setting("OUTBOUND_ALLOW", "")).split(",") if item.strip()}


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _is_self(host: str, port: int) -> bool:
    """Say whether host:port is this app (its public address, or the host serving this request)."""
    own = [base_url()] + ([request.host_url] if has_request_context() else [])
    for url in own:
        parts = urlsplit(url)
        if parts.hostname and (parts.hostname.lower(), parts.port or _default_port(parts.scheme)) == (host, port):
            return True
    return False


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def resolve(url: str) -> Target:
    """Check a URL and resolve its host; raise Refused with the reason when it may not be called."""
    parts = urlsplit(url or "")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
        raise Refused(_("The URL must start with http:// or https:// and name a host."))
    if parts.username or parts.password:
        raise Refused(_("The URL must not contain a user name or password."))
    host, port = parts.hostname.lower(), port or _default_port(parts.scheme)
    if _is_self(host, port):
        raise Refused(_("The URL points at OrderHub itself."))
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(_("The host %(host)s cannot be found.", host=host)) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    allowed = allow_list()
    for address in addresses:
        if not _public(address) and not ({host, f"{host}:{port}", address, f"{address}:{port}"} & allowed):
            raise Refused(_("The host %(host)s is a private or local address (%(address)s) that is not "
                            "allowed (ORDERHUB_OUTBOUND_ALLOW).", host=host, address=address))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, addresses[0], parts.netloc.rsplit("@", 1)[-1], path)


def _pool(target: Target, timeout: float) -> urllib3.HTTPConnectionPool:
    """Return this thread's keep-alive pool to the resolved address (TLS still checks the host name)."""
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


def post(url: str, body: bytes, headers: dict, timeout: float = 10.0, keep: int = 200) -> tuple[int | None, int, str]:
    """POST body to url if it may be reached; return (status or None, milliseconds, error or response start)."""
    started = time.perf_counter()
    try:
        target = resolve(url)
        resp = _pool(target, timeout).urlopen("POST", target.path, body=body, redirect=False,
                                              preload_content=False, headers=headers | {"Host": target.host_header})
        start = resp.read(keep)
        resp.drain_conn()  # the rest is not kept, but must be read before the connection is reused
        resp.release_conn()
    except Refused as exc:
        return None, _ms(started), str(exc)
    except urllib3.exceptions.HTTPError as exc:
        return None, _ms(started), f"{type(exc).__name__}: {exc}"
    return resp.status, _ms(started), start.decode(errors="replace")


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
