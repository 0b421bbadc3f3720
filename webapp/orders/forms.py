"""Read order input from a submitted form: contract field names, lines as items-<n>-<key>."""
import re

from webapp.vocab import ORDER_FIELDS

ITEM_KEY = re.compile(r"^items-(\d{1,4})-(sku|name|unit_price|quantity|unit_cost)$")
SUPPLIED_ON_STEP = ("carrier", "tracking_no")


def order_fields(form) -> dict:
    """Return the order fields present in the form (every contract name but items)."""
    return {name: form.get(name, "") for name in ORDER_FIELDS if name != "items" and name in form}


def order_items(form) -> list[dict] | None:
    """Return the lines in the form in index order, or None when the form carries no lines at all."""
    rows: dict[int, dict] = {}
    for key in form.keys():
        match = ITEM_KEY.match(key)
        if match:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = form.get(key)
    if not rows and "items" not in form:
        return None
    return [rows[i] for i in sorted(rows) if str(rows[i].get("sku", "")).strip()
            or str(rows[i].get("quantity", "")).strip()]


def step_fields(form) -> dict:
    """Return the fields a transition may carry with it (carrier and tracking number)."""
    return {name: form.get(name, "") for name in SUPPLIED_ON_STEP if name in form}


def version_of(form):
    """Return the submitted version as an int, None when absent, or -1 when garbled (always stale)."""
    raw = (form.get("version") or "").strip()
    if not raw:
        return None
    return int(raw) if raw.isdigit() else -1
