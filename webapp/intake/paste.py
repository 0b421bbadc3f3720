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


# Inline fixes: an unclear preview line edited in place travels as JSON (one hidden field per line)
# and is checked again on confirm; its external id stays the parsed line's, so a fixed line and the
# same line pasted again later are still one order.
MAX_QUANTITY = 9999
MAX_ITEMS = 20


def state(entry: jielong.Entry) -> dict:
    """What a preview row carries: its line number and id, and the fields as parsed (or fixed)."""
    return {"n": entry.number, "id": entry.external_id, "nick": entry.nickname, "name": entry.name,
            "phone": entry.phone, "address": entry.address, "items": [[s, q] for s, q in entry.items.items()]}


def read_state(text: str | None) -> dict | None:
    """Read a row's JSON state; None when it is not one."""
    import json
    try:
        value = json.loads(text or "")
    except ValueError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("n"), int) or not isinstance(value.get("id"), str):
        return None
    items = value.get("items") if isinstance(value.get("items"), list) else []
    return {"n": value["n"], "id": value["id"][:64], "nick": str(value.get("nick") or "")[:64],
            "name": str(value.get("name") or "")[:64], "phone": str(value.get("phone") or "")[:32],
            "address": str(value.get("address") or "")[:255],
            "items": [[str(i[0])[:32], i[1]] for i in items[:MAX_ITEMS] if isinstance(i, list) and len(i) == 2]}


def check(line: dict, skus: set[str]) -> dict[str, str]:
    """Say what a (fixed) line still lacks, per field: customer_name, customer_phone, address, items."""
    from webapp.intake import textrules as tr
    problems = {}
    if not line["name"].strip():
        problems["customer_name"] = str(_l("Enter the customer's name."))
    try:
        normalize_phone(line["phone"])
    except ValueError:
        problems["customer_phone"] = str(MISSING["phone_short"] if tr.SHORT_PHONE.fullmatch(line["phone"].strip())
                                         else _l("Enter a valid phone number, e.g. 138 0013 8000."))
    if not line["address"].strip():
        problems["address"] = str(MISSING["address"])
    elif tr.PLACE.match(tr.with_province(line["address"].strip())) is None:
        problems["address"] = str(MISSING["province"])
    problems.update(_check_items(line["items"], skus))
    return problems


def _check_items(items: list, skus: set[str]) -> dict[str, str]:
    if not items:
        return {"items": str(MISSING["items"])}
    for sku, qty in items:
        if sku not in skus:
            return {"items": str(_l("Unknown SKU %(sku)s: pick one from the catalogue.", sku=sku))}
        if not isinstance(qty, int) or not 1 <= qty <= MAX_QUANTITY:
            return {"items": str(_l("A quantity is a whole number from 1 to %(max)d.", max=MAX_QUANTITY))}
    return {}


def from_form(form, line: dict) -> dict:
    """The line as the user edited it: customer_name, customer_phone, address, sku[] and quantity[] fields."""
    items = {}
    for sku, qty in zip(form.getlist("sku"), form.getlist("quantity")):
        sku = (sku or "").strip()
        if not sku:
            continue
        qty = (qty or "").strip()
        number = int(qty) if qty.isdigit() else -1
        items[sku] = number if sku not in items or number < 0 or items[sku] < 0 else items[sku] + number
    return line | {"name": (form.get("customer_name") or "").strip()[:64],
                   "phone": (form.get("customer_phone") or "").strip()[:32],
                   "address": (form.get("address") or "").strip()[:255],
                   "items": [[s, q] for s, q in list(items.items())[:MAX_ITEMS]]}


def fixed_draft(entry: jielong.Entry, line: dict, skus: set[str]) -> Draft:
    """The order a fixed line asks for: the user's fields, the parsed line's id, notes and source."""
    from webapp.intake import textrules as tr
    raw = {"external_id": entry.external_id, "customer_name": line["name"], "customer_phone": line["phone"],
           "address": tr.with_province(line["address"]), "notes": entry.notes}
    items = [{"sku": sku, "quantity": qty} for sku, qty in line["items"]]
    return Draft(entry.number, raw, items, source=f"{entry.number}. {entry.text}",
                 problems=list(check(line, skus).values()))


def drafts_with_fixes(parsed: jielong.Parsed, fixes: list[str], skus: set[str]) -> list[Draft]:
    """One draft per entry; an entry with a fix for its number and id uses the fixed fields."""
    by_number = {}
    for text in fixes:
        line = read_state(text)
        if line is not None:
            by_number[line["n"]] = line
    out = []
    for entry in parsed.entries:
        line = by_number.get(entry.number)
        out.append(fixed_draft(entry, line, skus) if line and line["id"] == entry.external_id else draft(entry))
    return out
