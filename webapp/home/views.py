"""The home screen: each role lands on the screen its role names (warehouse, sales, board, admin)."""
from flask import Blueprint
from flask_login import current_user, login_required

from webapp.core.render import render_screen
from webapp.home import screens

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    """Show the home screen made for the user's role."""
    ctx = screens.context_for(current_user)
    return render_screen(f"pages/home/{ctx['screen']}.html", **ctx)
