"""Refunds of a period for finance, as CSV (streamed) or XLSX (written row by row): readable fields only.

A row is a case refunded in the period (its refunded_at, local days) on an order the user may see;
order columns pass the matrix like every other export, text cells are formula-safe (safe_cell), and
memory stays bounded: keyset batches of BATCH cases, XlsxWriter's constant-memory mode.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.access.labels import field_label
from webapp.aftersales.labels import case_kind_label, case_state_label
from webapp.aftersales.models import AftersalesCase
from webapp.core import sheets
from webapp.core.labels import channel_label, region_label
from webapp.core.timefmt import fmt
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.reports.export import safe_cell
from webapp.reports.services import window

BATCH = 500
ORDER_COLUMNS = ("order_no", "channel", "region", "customer_name")  # each only when the matrix lets it be read


def may_export(policy) -> bool:
    """Say whether the role may download refunds: it sees cases and may read refund amounts."""
    return (policy.can("aftersales") or policy.can("refund_review")) and policy.can_read("refund_amount")


def columns(policy) -> list[str]:
    """Return the columns this user gets."""
    return ["case", "kind", "status", *(c for c in ORDER_COLUMNS if policy.can_read(c)), "refunded_at",
            "refund_amount"]


def heads(cols: list[str]) -> list[str]:
    """Return the header row in the user's language."""
    names = {"case": _("Case"), "kind": _("Kind"), "status": _("State"), "refunded_at": _("Refunded")}
    return [str(names.get(c) or field_label(c)) for c in cols]


def _row(case: AftersalesCase, order: Order, cols: list[str]) -> list:
    values = {"case": case.id, "kind": case_kind_label(case.kind), "status": case_state_label(case.status),
              "order_no": order.order_no, "channel": channel_label(order.channel),
              "region": region_label(order.region) if order.region else "", "customer_name": order.customer_name,
              "refunded_at": fmt(case.refunded_at), "refund_amount": case.refund_amount}
    return [safe_cell(values[c]) for c in cols]


def batches(period, actor, policy):
    """Yield lists of rows of the period's refunds the user may see, one keyset batch (by case id) at a time."""
    start, end = window(period.first)[0], window(period.last)[1]
    cols, after = columns(policy), 0
    while True:
        stmt = policy.scope_filter(
            select(AftersalesCase, Order).join(Order, Order.id == AftersalesCase.order_id)
            .where(AftersalesCase.refunded_at >= start, AftersalesCase.refunded_at < end,
                   AftersalesCase.id > after, Order.deleted_at.is_(None)), Order)
        found = db.session.execute(stmt.order_by(AftersalesCase.id).limit(BATCH)).all()
        if not found:
            return
        yield [_row(case, order, cols) for case, order in found]
        after = found[-1][0].id
        db.session.expunge_all()  # keep the identity map from growing with every batch


def csv_stream(period, actor, policy):
    """Yield UTF-8 CSV chunks of the period's refunds."""
    return sheets.csv_chunks(heads(columns(policy)), batches(period, actor, policy))


def xlsx_file(period, actor, policy):
    """Return the period's refunds as a workbook in a temporary file, open at its start."""
    return sheets.xlsx_file(_("Refunds"), heads(columns(policy)), batches(period, actor, policy))
