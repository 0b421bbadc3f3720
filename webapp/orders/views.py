"""Order board, order page, transitions, soft delete and restore (thin: the service does the work)."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.access.policy import policy_for
from webapp.access.stepup import require_recent
from webapp.core.origin import request_via
from webapp.core.render import render_screen, wants_json
from webapp.orders import forms, notes, queries, services, txn
from webapp.orders import statemachine as sm
from webapp.orders.errors import NotFound, OrderError
from webapp.core.labels import state_label
from webapp.orders.serialize import order_view

bp = Blueprint("orders", __name__)
ENTRY_FIELDS = ("customer_name", "customer_phone", "address", "items")


def may_enter(policy) -> bool:
    """Say whether this policy lets its user enter new orders."""
    return all(policy.can_write(f) for f in ENTRY_FIELDS)


def require_step_up(user) -> None:
    """Ask for a fresh second verification before a dangerous action (webapp.access.stepup)."""
    require_recent(user)


@bp.get("/orders")
@login_required
def index():
    """Show the order board: tabs per state with counts, filters, search, keyset pages."""
    query = queries.parse_board(request.args)
    rows, next_cursor = queries.board_page(query, current_user)
    policy, cutoff = policy_for(current_user), queries.overdue_cutoff()
    views = [order_view(o, policy, with_lines=False) | {"overdue": queries.is_overdue(o, cutoff),
                                                        "age_hours": queries.age_hours(o)} for o in rows]
    return render_screen("pages/orders/index.html", "partials/orders/_board.html", query=query, rows=views,
                         counts=queries.state_counts(query, current_user), next_cursor=next_cursor,
                         may_restore=sm.may(current_user, "restore"), may_enter=may_enter(policy),
                         may_catalogue=policy_for(current_user).can("catalogue"),
                         cap=queries.COUNT_CAP, overdue_count=queries.overdue_count(query, current_user),
                         sort=queries.effective_sort(query, policy), may_sort_amount=policy.can_read("total_amount"),
                         channels=queries.channel_choices())


def page_context(order, error=None) -> dict:
    """Return what the order page shows for the current user: only readable fields, only their steps."""
    policy = policy_for(current_user)
    steps = sm.next_steps(order, current_user)
    missing = {s.target: sm.EVIDENCE[s.target](order) for s in steps
               if s.evidence and s.target != "in_transit"}
    return {"order": order_view(order, policy), "steps": steps, "missing": missing,
            "timeline": queries.timeline(order), "error": error,
            "overdue": queries.is_overdue(order, queries.overdue_cutoff()),
            "can_edit": any(policy.can_write(f) for f in policy.readable) and order.deleted_at is None,
            "may_delete": sm.may(current_user, "delete") and order.deleted_at is None,
            "may_restore": sm.may(current_user, "restore") and order.deleted_at is not None,
            "evidence_labels": sm.EVIDENCE_LABELS,
            "floor_notes": notes.entries(order) if policy.can_read("notes") else []}


def _load_for_page(order_no: str):
    try:
        return services.load(order_no, current_user)
    except NotFound:
        if sm.may(current_user, "restore"):
            return services.load(order_no, current_user, deleted=True)
        raise


@bp.get("/orders/<order_no>")
@login_required
def show(order_no):
    """Show one order: fields, lines, state timeline, call button, the steps this user may take."""
    order = _load_for_page(order_no)
    return render_screen("pages/orders/show.html", **page_context(order))


def answer_refusal(order_no: str, exc: OrderError):
    """Answer a refused write: JSON clients get the error; people get the order page with the reason."""
    if wants_json() or isinstance(exc, NotFound):
        raise exc
    order = _load_for_page(order_no)
    return render_screen("pages/orders/show.html", status=exc.status, **page_context(order, error=exc.message))


@bp.post("/orders/<order_no>/transition")
@login_required
def transition(order_no):
    """Move the order one step (form field `to`); refusals answer 4xx with the reason."""
    form = request.form
    to, via = form.get("to", "").strip(), request_via()
    try:
        txn.run(lambda: services.transition(order_no, to, actor=current_user, via=via,
                                            version=forms.version_of(form), reason=form.get("reason", ""),
                                            supplied=forms.step_fields(form)), actor=current_user, via=via)
    except OrderError as exc:
        return answer_refusal(order_no, exc)
    flash(_("Moved to %(state)s.", state=state_label(to)), "success")
    return redirect(url_for("orders.show", order_no=order_no), 303)


def _soft_delete(order_no: str, action: str, write):
    if sm.may(current_user, action):
        require_step_up(current_user)
    via = request_via()
    try:
        txn.run(lambda: write(order_no, actor=current_user, via=via, reason=request.form.get("reason", "")),
                actor=current_user, via=via)
    except OrderError as exc:
        return answer_refusal(order_no, exc)
    return None


@bp.post("/orders/<order_no>/delete")
@login_required
def delete(order_no):
    """Soft-delete an order (roles holding `delete`, after a second verification); it can be restored."""
    return _soft_delete(order_no, "delete", services.delete_order) or _back_to(
        order_no, _("Order %(no)s deleted. It can be restored.", no=order_no))


@bp.post("/orders/<order_no>/restore")
@login_required
def restore(order_no):
    """Restore a soft-deleted order (roles holding `restore`, after a second verification)."""
    return _soft_delete(order_no, "restore", services.restore_order) or _back_to(
        order_no, _("Order %(no)s restored.", no=order_no))


def _back_to(order_no: str, message: str):
    flash(message, "success")
    return redirect(url_for("orders.show", order_no=order_no), 303)


from webapp.orders import views_catalogue, views_entry  # noqa: E402,F401  (routes on this blueprint)
