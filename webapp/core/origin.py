"""What the server knows about where a request came from and where it lives, never taken from the client.

The write path (`via`): every request writes as `web` unless a domain says otherwise before the
view runs: the offline domain marks verified replays of a device's queue as `offline`
(webapp.offline.origin), the API its calls as `api`. Views read it here and pass it to the write
service; no view imports those domains.

The public address (`base_url`, `external_url`): every link sent outside (SMS, QR labels, paper
forms, webhooks, robots) is built from ORDERHUB_BASE_URL, never from the request's Host header.
Proxy headers (X-Forwarded-For/Proto/Host/Port/Prefix) count only behind ORDERHUB_PROXY_HOPS proxies.
"""
from flask import current_app, g, has_request_context
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.config import setting


def set_request_via(via: str) -> None:
    """Mark the current request's writes as coming through `via`."""
    g.write_via = via


def request_via(default: str = "web") -> str:
    """Return the current request's write path (default outside requests or when unmarked)."""
    return g.get("write_via", default) if has_request_context() else default


def base_url() -> str:
    """Return the public address for links sent outside: ORDERHUB_BASE_URL, else the configured fallback.

    The fallback is the server's own configuration (SERVER_NAME, else BASE_URL_FALLBACK, which is
    http://127.0.0.1:$PORT): a request's Host header never becomes part of a link.
    """
    configured = setting("BASE_URL")
    if configured:
        return str(configured).rstrip("/")
    if current_app.config.get("SERVER_NAME"):
        return f"{current_app.config.get('PREFERRED_URL_SCHEME') or 'http'}://{current_app.config['SERVER_NAME']}"
    return str(current_app.config.get("BASE_URL_FALLBACK") or "http://127.0.0.1:5000").rstrip("/")


def external_url(endpoint: str, **values) -> str:
    """Return the absolute URL of a route under base_url() (the request's host and prefix play no part)."""
    path = current_app.url_map.bind("localhost", script_name="/").build(endpoint, values, force_external=False)
    return base_url() + path


def init_app(app) -> None:
    """Trust proxy headers only behind ORDERHUB_PROXY_HOPS proxies; say at start-up when the base URL is unset."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
    with app.app_context():
        if not setting("BASE_URL"):
            app.logger.warning(
                "ORDERHUB_BASE_URL is not set: links sent outside (SMS, QR labels, paper forms, webhooks) "
                "will point at %s. Set it to the public address customers and phones reach.", base_url())
