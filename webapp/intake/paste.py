"""From a pasted 接龙 text to order drafts: parse with the catalogue's names, say what each line lacks."""
from flask_babel import lazy_gettext as _l

from webapp.intake import jielong
from webapp.intake.services import Draft, catalogue_names
from webapp.orders.phones import normalize_phone

MISSING = {
    "items": _l("No item matches the catalogue (name, code or alias)."),
    "phone": _l("No mobile number (11 digits)."),
    "phone_short": _l("The phone number has only 10 digits."),
    "address": _l("No address."),
    "province": _l("The address does not name its province or city."),
}


def parse(text: str, names: dict | None = None) -> jielong.Parsed:
    """Parse a pasted list against the active catalogue (or the names given)."""
    return jielong.parse(text, catalogue_names() if names is None else names)


def problems(entry: jielong.Entry) -> list[str]:
    """What an entry lacks, as messages for the preview and the log."""
    found = [str(MISSING[m]) for m in entry.missing]
    if entry.phone and not found:
        try:
            normalize_phone(entry.phone)
        except ValueError:
            found.append(str(_l("Enter a valid phone number, e.g. 138 0013 8000.")))
    return found


def draft(entry: jielong.Entry) -> Draft:
    """The order an entry asks for."""
    raw = {"external_id": entry.external_id, "customer_name": entry.name, "customer_phone": entry.phone,
           "address": entry.address, "notes": entry.notes}
    items = [{"sku": sku, "quantity": qty} for sku, qty in entry.items.items()]
    return Draft(entry.number, raw, items, source=f"{entry.number}. {entry.text}", problems=problems(entry))


def drafts(parsed: jielong.Parsed) -> list[Draft]:
    """One draft per entry, in list order."""
    return [draft(e) for e in parsed.entries]
