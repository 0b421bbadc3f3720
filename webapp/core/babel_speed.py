"""Flask-Babel's per-call context look-up without proxies (issue 16: CPU per page).

Every gettext — a `_()` in a template, a lazy state or region label turned into text — looks up
Flask-Babel's per-context namespace (`g._flask_babel`) two or three times, each through
`flask.g`, a werkzeug LocalProxy. A board page makes ~600 such calls, about a millisecond of CPU.
`_get_current_context` below returns the very same namespace straight from the app context's
ContextVar: same object, same caching (locale, translations, force_locale, refresh) — only faster.
Flask-Babel is pinned (pyproject.toml); if its internals ever differ, the original stays in place.
"""
from types import SimpleNamespace

import flask_babel
from flask.globals import _cv_app


def _get_current_context() -> SimpleNamespace | None:
    app_ctx = _cv_app.get(None)
    if app_ctx is None:  # no app context: as the original (`if not g`)
        return None
    store = app_ctx.g.__dict__
    ctx = store.get("_flask_babel")
    if ctx is None:
        ctx = store["_flask_babel"] = SimpleNamespace()
    return ctx


def install() -> None:
    """Swap in the proxy-free look-up when Flask-Babel has the function this replaces."""
    if callable(getattr(flask_babel, "_get_current_context", None)):
        flask_babel._get_current_context = _get_current_context
