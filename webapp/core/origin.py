"""The write path (`via`) of the current request, as the domain that recognises it set it.

Every request writes as `web` unless a domain says otherwise before the view runs: the offline
domain marks replays of a device's queue as `offline` (webapp.offline.origin), the API its calls as
`api`. Views read it here and pass it to the write service; no view imports those domains.
"""
from flask import g, has_request_context


def set_request_via(via: str) -> None:
    """Mark the current request's writes as coming through `via`."""
    g.write_via = via


def request_via(default: str = "web") -> str:
    """Return the current request's write path (default outside requests or when unmarked)."""
    return g.get("write_via", default) if has_request_context() else default
