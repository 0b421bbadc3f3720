"""My sessions: the user sees where they are logged in and ends one session or all the others."""
from flask import abort, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from webapp.auth import sessions
from webapp.auth.models import UserSession
from webapp.auth.views import SESSION_KEY, bp
from webapp.core.render import render_screen
from webapp.extensions import db


def _current() -> UserSession | None:
    return sessions.find(session.get(SESSION_KEY))


@bp.get("/account/sessions")
@login_required
def my_sessions():
    """List the user's live sessions, this one marked."""
    here = _current()
    return render_screen("pages/auth/sessions.html", rows=sessions.live_sessions(current_user),
                         current_id=here.id if here else None)


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int):
    """End one of the user's own sessions; ending this one logs out here."""
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    here = _current()
    sessions.end(row, "ended_by_user")
    db.session.commit()
    if here is not None and here.id == row.id:
        logout_user()
        session.clear()
        return redirect(url_for("auth.login", logged_out=1))
    flash(_("That session has ended."), "success")
    return redirect(url_for("auth.my_sessions"))


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    """End every session of the user but this one."""
    ended = sessions.end_all(current_user, "ended_by_user", keep=_current())
    db.session.commit()
    flash(_("%(n)d other sessions ended.", n=ended), "success")
    return redirect(url_for("auth.my_sessions"))
