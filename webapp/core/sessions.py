"""The session cookie is set only by the user's own requests: shell pages and worker scripts never touch it.

The service worker precaches the offline shell pages while the user may be logging in; a late answer
that carried a Set-Cookie (an anonymous session, with the CSRF token the layout asked for) would
overwrite the fresh login cookie and bounce the user back to the login page. Views marked @stateless
hold no user data, so their responses never set, refresh or clear a cookie.
"""
from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface


def stateless(view):
    """Mark a view whose responses never carry a session cookie (put it under the route decorator)."""
    view.stateless = True
    return view


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, left unsaved on the responses of @stateless views."""

    def save_session(self, app: Flask, session, response) -> None:
        if getattr(app.view_functions.get(request.endpoint), "stateless", False):
            del response.headers["Set-Cookie"]  # nor Flask-Login's remember cookie, set or cleared
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Use the session interface that leaves stateless responses alone."""
    app.session_interface = SessionInterface()
