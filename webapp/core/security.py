"""Request size limits and security headers."""
from flask import Flask, abort, request


def register(app: Flask) -> None:
    """Cap non-upload request bodies; add CSP and friends to every response."""

    @app.before_request
    def _limit_body():
        # Uploads (multipart) may be large up to MAX_CONTENT_LENGTH; forms and JSON never need much.
        size = request.content_length or 0
        if size > app.config["MAX_FORM_POST"] and request.mimetype != "multipart/form-data":
            abort(413)

    @app.after_request
    def _headers(resp):
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
            "style-src 'self'; script-src 'self'; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.vary.add("HX-Request")  # pages and their htmx fragments share URLs
        return resp
