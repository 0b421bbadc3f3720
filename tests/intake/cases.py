"""Load the 接龙 fixture corpus (fixtures/jielong_cases.txt) and the catalogue it is written against."""
import json
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def catalogue() -> dict:
    """The fixture catalogue: products (sku, name, price, cost) and aliases."""
    return json.loads((FIXTURES / "catalogue.json").read_text(encoding="utf-8"))


def names() -> dict:
    """Every name, SKU and alias → SKU, as webapp.intake.services.catalogue_names builds it."""
    data = catalogue()
    found = {}
    for sku, name, _price, _cost in data["products"]:
        found[name] = found[sku] = sku
    return found | data["aliases"]


def _expect(line: str) -> tuple[int, dict]:
    number, *rest = [part.strip() for part in line.split("|")]
    if rest[0].startswith("!"):
        return int(number), {"missing": sorted(rest[0][1:].strip().split(","))}
    name, phone, address, items = rest
    return int(number), {"name": name, "phone": phone, "address": address,
                         "items": {sku: int(qty) for sku, qty in (i.split("*") for i in items.split())}}


def cases() -> list[tuple[str, str, dict]]:
    """Return (id, text, {number: expected}) for every case."""
    found, text = [], (FIXTURES / "jielong_cases.txt").read_text(encoding="utf-8")
    for block in text.split("\n=== ")[1:]:
        head, _, expect = block.partition("\n--- expect\n")
        case_id, _, body = head.partition("\n")
        expected = dict(_expect(line) for line in expect.strip().splitlines() if line.strip())
        found.append((case_id.strip(), body, expected))
    return found


def actual(entry) -> dict:
    """What the parser made of an entry, in the expectation's shape."""
    if entry.missing:
        return {"missing": sorted(entry.missing)}
    return {"name": entry.name, "phone": entry.phone, "address": entry.address, "items": dict(entry.items)}
