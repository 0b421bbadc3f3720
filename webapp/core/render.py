"""One place decides full page or htmx partial, and says so with Vary: HX-Request."""
from flask import make_response, render_template, request


def is_htmx() -> bool:
    """Say whether this request came from htmx (and not as a history restore)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render_screen(page: str, partial: str | None = None, status: int = 200, **ctx):
    """Render the partial for htmx requests, else the full page; always vary on HX-Request."""
    template = partial if (partial and is_htmx()) else page
    resp = make_response(render_template(template, **ctx), status)
    resp.headers.add("Vary", "HX-Request")
    return resp


def wants_json() -> bool:
    """Say whether the client prefers a JSON answer (API paths and JSON clients)."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
