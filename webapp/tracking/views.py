"""GET /t/<token>: the customer's tracking page (no login, masked, no amounts; ?lang=en switches in place)."""
from flask import Blueprint, abort, redirect, request, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from webapp.config import setting
from webapp.core.render import render_screen
from webapp.vocab import STATES
from webapp.orders.phones import mask_phone
from webapp.extensions import db
from webapp.tracking import questions, services
from webapp.tracking import pageviews

bp = Blueprint("tracking", __name__)
LANGS = ("zh_CN", "en")
PATH = ("pending_payment", "confirmed", "in_production", "outbound", "in_transit", "completed")
CUSTOMER_LABELS = {  # what a customer calls each step
    "pending_payment": _l("Order placed"),
    "awaiting_approval": _l("Being reviewed"),
    "confirmed": _l("Confirmed"),
    "in_production": _l("Being prepared"),
    "outbound": _l("Left our warehouse"),
    "in_transit": _l("On the way"),
    "completed": _l("Delivered"),
    "cancelled": _l("Cancelled"),
}
QUESTION_REASONS = {  # what a customer may ask about (vocab.INQUIRY_REASONS), in their words
    "where_is_my_order": _l("Where is my parcel?"),
    "change_order": _l("Change my order or address"),
    "product_question": _l("A question about the goods"),
    "complaint": _l("Something went wrong"),
    "other": _l("Something else"),
}


def steps_of(order, transitions) -> list[dict]:
    """Merge what happened with what is still to come: name, time (if reached), done/current/cancelled."""
    reached = {}
    for t in transitions:
        reached[t.to_state] = t.at
    path = [s for s in PATH if s != "pending_payment" or s in reached or order.status == s]
    if "awaiting_approval" in reached or order.status == "awaiting_approval":
        path.insert(path.index("confirmed"), "awaiting_approval")
    if order.status == "cancelled":
        path = [s for s in path if s in reached] + ["cancelled"]
    current = STATES.index(order.status) if order.status != "cancelled" else None
    steps = []
    for state in path:
        done = state in reached or (current is not None and state in STATES[:current])
        steps.append({"state": state, "label": CUSTOMER_LABELS[state], "at": reached.get(state),
                      "done": done, "current": state == order.status})
    return steps


def _locale(value) -> str:
    return value if value in LANGS else "zh_CN"  # never the staff's


def _page(order, token: str, locale: str, status: int = 200, **extra):
    """Render the customer page in the customer's language, never cached, never indexed."""
    with force_locale(locale):
        resp = render_screen("pages/tracking/track.html", status=status, order=order, locale=locale, token=token,
                             steps=steps_of(order, services.timeline(order)),
                             name=services.mask_name(order.customer_name),
                             phone=mask_phone(order.customer_phone or ""),
                             items=[(line.name, line.quantity) for line in order.lines],
                             shop_name=setting("SHOP_NAME", ""), shop_phone=setting("SHOP_PHONE", ""),
                             reasons=QUESTION_REASONS, **services.panels(order), **extra)
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Referrer-Policy"] = "no-referrer"
    resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    return resp


@bp.get("/t/<token>")
def track(token: str):
    """Show an order's progress to the customer holding its signed link."""
    order = services.resolve(token)
    if order is None:
        abort(404)
    if pageviews.is_customer_view():  # a recorded fact for the dashboard (issue 15); staff previews are not
        pageviews.record(order)
    return _page(order, token, _locale(request.args.get("lang")), asked=request.args.get("asked") == "1")


@bp.post("/t/<token>/question")
def question(token: str):
    """Take the customer's question about the order to support (an inquiry; a few per hour at most)."""
    order = services.resolve(token)
    if order is None:
        abort(404)
    locale = _locale(request.form.get("lang"))
    try:
        questions.ask(order, request.form.get("reason", ""), request.form.get("question", ""))
    except questions.QuestionRefused as exc:
        db.session.rollback()
        with force_locale(locale):
            message = str(exc.message)
        return _page(order, token, locale, status=exc.status, question_error=message,
                     question=request.form.get("question", "")[:questions.MAX_CHARS])
    db.session.commit()
    return redirect(url_for("tracking.track", token=token, lang=locale, asked=1, _anchor="question"), 303)
