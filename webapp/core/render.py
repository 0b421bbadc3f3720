"""One place decides full page or htmx partial (htmx-flask reads the HX headers).

Every response varies on HX-Request (webapp.core.security adds the header app-wide), so a cache
never serves a fragment for a page or the other way round.
"""
from flask import make_response, render_template, request


def is_htmx() -> bool:
    """Say whether this request came from htmx (and not as a history restore)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_screen(page: str, partial: str | None = None, status: int = 200, **ctx):
    """Render the partial for htmx requests, else the full page."""
    template = partial if (partial and is_htmx()) else page
    return make_response(render_template(template, **ctx), status)


def wants_json() -> bool:
    """Say whether the client prefers a JSON answer (API paths and JSON clients)."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
