"""The board's orders as CSV / XLSX with the board's filters: streamed in keyset batches, injection-safe.

Rows pass through the one projection (order_view), so a column the user may not read is never
written; memory stays bounded whatever the number of orders (one batch of rows at a time; the XLSX
workbook is written row by row to a temporary file by XlsxWriter's constant-memory mode).
"""
from dataclasses import replace

from flask_babel import gettext as _

from webapp.access.labels import field_label
from webapp.core import sheets
from webapp.core.labels import channel_label, payer_label, region_label, state_label
from webapp.extensions import db
from webapp.orders import queries
from webapp.orders.serialize import order_view
from webapp.reports.export import safe_cell
from webapp.vocab import ORDER_FIELDS

BATCH = 500
COLUMNS = tuple(f for f in ORDER_FIELDS if f != "items") + ("created_at", "state_changed_at")
LABELLED = {"status": state_label, "region": region_label, "channel": channel_label, "shipping_paid_by": payer_label}


def columns(policy) -> list[str]:
    """Return the columns this user may read, in the vocabulary's order."""
    return [c for c in COLUMNS if c in ("created_at", "state_changed_at") or policy.can_read(c)]


def heads(cols: list[str]) -> list[str]:
    """Return the header row: each field's label in the user's language."""
    extra = {"created_at": _("Created"), "state_changed_at": _("Last step")}
    return [str(extra.get(c) or field_label(c)) for c in cols]


def _cell(name: str, value, labels: dict):
    if value is None:
        return ""
    if name in LABELLED:
        if (name, value) not in labels:  # translate each code once per export, not once per row
            labels[(name, value)] = LABELLED[name](value)
        return labels[(name, value)]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return safe_cell(value)


def order_batches(query, actor, policy):
    """Yield lists of projected rows of every order on the filtered board, one keyset batch at a time."""
    cols, labels = columns(policy), {}
    query = replace(query, cursor=None)
    while True:
        rows, cursor = queries.board_page(query, actor, size=BATCH)
        yield [[_cell(c, view.get(c), labels) for c in cols]
               for view in (order_view(order, policy, with_lines=False) for order in rows)]
        for order in rows:  # keep the identity map from growing with every batch
            db.session.expunge(order)
        if not cursor:
            return
        query = replace(query, cursor=queries.decode_cursor(cursor))


def csv_stream(query, actor, policy):
    """Yield UTF-8 CSV chunks of the board's orders."""
    return sheets.csv_chunks(heads(columns(policy)), order_batches(query, actor, policy))


def xlsx_file(query, actor, policy):
    """Return the board's orders as a workbook in a temporary file, open at its start."""
    return sheets.xlsx_file(_("Orders"), heads(columns(policy)), order_batches(query, actor, policy))
