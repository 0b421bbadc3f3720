"""A repeat visit of an unchanged page costs a few hundred bytes: HTML GETs carry an ETag and answer 304.

The tag hashes the page as rendered with this request's signed CSRF token taken out (its signature
carries a timestamp, so it differs on every request) and the session's own raw token put in instead:
a cached page is reused only while the token it holds still belongs to this session (tokens do not
expire by time here, WTF_CSRF_TIME_LIMIT is None). Nothing is stored that was not stored before (the
browser keeps HTML without no-store anyway; logout clears the cache); responses marked no-store are
left alone. The page is still rendered: this saves bytes on the wire (issue 16), not server time.
Registered right after compression, so it sees the page before it is compressed; Flask-Compress then
appends ":br" / ":gzip" to the tag, which is why a tag's suffix is ignored when comparing.
"""
import hashlib

from flask import Flask, Response, g, request, session


def page_tag(resp: Response) -> str:
    """Return the ETag of an HTML page: its body without the signed CSRF token, plus the session's token."""
    body = resp.get_data()
    signed = g.get("csrf_token")  # Flask-WTF's signed token of this request, when the page used one
    if signed:
        body = body.replace(str(signed).encode(), b"")
    raw = str(session.get("csrf_token", "")).encode()
    return hashlib.sha256(body + b"\0" + raw).hexdigest()[:32]


def _conditional(resp: Response) -> Response:
    if (request.method != "GET" or resp.status_code != 200 or resp.mimetype != "text/html"
            or resp.direct_passthrough or resp.is_streamed or "ETag" in resp.headers
            or "no-store" in resp.headers.get("Cache-Control", "")):
        return resp
    tag = page_tag(resp)
    resp.set_etag(tag)
    resp.headers.setdefault("Cache-Control", "private, no-cache")  # revalidate every time, never shared
    asked = {t.split(":")[0] for t in request.if_none_match.as_set()}
    if tag in asked:
        resp.status_code = 304
        resp.set_data(b"")
        for name in ("Content-Type", "Content-Length"):
            resp.headers.pop(name, None)
    return resp


def init_app(app: Flask) -> None:
    """Answer unchanged HTML pages with 304 (register right after assets: runs just before compression)."""
    app.after_request(_conditional)
