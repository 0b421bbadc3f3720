"""Parse a WeChat group 接龙 text into orders: one entry per numbered line, fields by small rules.

A list looks like "#接龙 / title lines / 1. 昵称 内容 / 2. …", often re-posted whole with each reply,
lines wrapped or edited. Entries are keyed by their number (a re-posted list's later copy wins);
unnumbered lines after an entry continue it. Each entry yields the customer (收件人 or nickname),
phone, address and items matched to catalogue names / SKUs / aliases with their quantities.
"""
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from webapp.intake import textrules as tr

NUMBERED = re.compile(r"^\s*(\d{1,4})\s*[.、,，:：)）]\s*(.*)$")


@dataclass
class Entry:
    """One parsed 接龙 line: what was found, what is missing, and a stable external id."""

    number: int
    nickname: str
    text: str
    name: str = ""
    phone: str = ""
    address: str = ""
    items: dict = field(default_factory=dict)  # sku → quantity
    notes: str = ""
    missing: list = field(default_factory=list)
    external_id: str = ""

    @property
    def confidence(self) -> str:
        """high: nothing missing; low: something to fix before it can become an order."""
        return "high" if not self.missing else "low"


@dataclass
class Parsed:
    """A parsed list: its title (first header line) and entries by number."""

    title: str
    entries: list


def normalise(text: str) -> str:
    """Fold full-width letters and digits (NFKC), unify line ends, drop zero-width characters."""
    text = unicodedata.normalize("NFKC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\u200b-\u200d\ufeff]", "", text)


def _split(text: str) -> tuple[list[str], dict[int, list[str]]]:
    """Return (header lines, lines per entry number); later copies of a number replace earlier ones."""
    header, entries, current = [], {}, None
    for raw in normalise(text).split("\n"):
        line = raw.strip()
        if not line:
            continue
        match = NUMBERED.match(line)
        if match and not match.group(2):
            current = None  # an empty slot ("2.") someone left for a later reply
        elif match:
            current = int(match.group(1))
            entries[current] = [match.group(2)]
        elif current is None:
            header.append(line)
        elif line.startswith("#") or "接龙" in line or line in header or line.startswith("例"):
            current = None  # the list posted again: its header lines start over
        else:
            entries[current].append(line)
    return header, entries


def parse(text: str, names: dict[str, str], *, default_sku: str | None = None) -> Parsed:
    """Parse a 接龙 text; names maps every catalogue name, SKU and alias to its SKU."""
    header, numbered = _split(text)
    title = next((h for h in header if h.lstrip("#").strip()), "")
    if default_sku is None:
        found = {sku for h in header for sku in find_items(h, names).values()} if header else set()
        default_sku = found.pop() if len(found) == 1 else None
    entries = [_entry(n, " ".join(lines), names, default_sku, title) for n, lines in sorted(numbered.items())]
    return Parsed(title, entries)


def _entry(number: int, content: str, names: dict, default_sku, title: str) -> Entry:
    nickname, _, rest = content.partition(" ")
    entry = Entry(number, nickname.strip(), content)
    key = "\n".join((title, str(number), re.sub(r"\s+", " ", content)))
    digest = hashlib.sha1(key.encode()).hexdigest()
    entry.external_id = f"jl-{digest[:24]}"
    labelled, free = _labels(rest)
    entry.name = labelled.get("name", "")
    phone_text = labelled.get("phone") or free
    phone = tr.PHONE.search(phone_text)
    if phone:
        entry.phone = tr.digits_only(phone.group(1))
        if "phone" not in labelled:
            free = free.replace(phone.group(0), " ")
    else:
        free = tr.SHORT_PHONE.sub(" ", free)  # reported as missing, kept out of the address
    item_text = labelled.get("items", "") + " " + free
    items, spans = _items(item_text, names, default_sku)
    entry.items = items
    address = labelled.get("address") or _address(item_text, spans)
    if address and not labelled.get("address"):
        address, tail_name = _trailing_name(address)
        entry.name = entry.name or tail_name
    entry.address = tr.with_province(address) if address else ""
    entry.name = (entry.name or entry.nickname)[:64]
    entry.notes = labelled.get("notes", "")
    _check(entry, phone_text)
    return entry


def _labels(text: str) -> tuple[dict, str]:
    """Split `收件人：… 电话：… 地址：…` into fields; return (fields, the text before the first label)."""
    parts = tr.LABEL.split(text)
    labelled = {}
    for i in range(1, len(parts) - 1, 2):
        key = tr.LABELS[parts[i]]
        value = parts[i + 1].strip(" ,，;；")
        labelled[key] = (labelled.get(key, "") + " " + value).strip()
    return labelled, parts[0]


def find_items(text: str, names: dict) -> dict:
    """Return the catalogue names found in text, longest first, as {(start, end): sku}."""
    found, taken = {}, [False] * len(text)
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(re.escape(name), text, flags=re.IGNORECASE):
            start, end = match.span()
            if not any(taken[start:end]):
                found[(start, end)] = names[name]
                taken[start:end] = [True] * (end - start)
    return dict(sorted(found.items()))


BEFORE = re.compile(r"(" + tr.NUMBER + r")\s*" + tr.UNITS + r"?\s*$")
AFTER = re.compile(r"^\s*" + tr.TIMES + r"?\s*(" + tr.NUMBER + r")\s*" + tr.UNITS + r"?")
BARE = re.compile(r"(?:^|\s)" + tr.TIMES + r"?(" + tr.NUMBER + r")\s*" + tr.UNITS + r"(?=\s|$)|"
                  r"(?:^|\s)" + tr.TIMES + r"(" + tr.NUMBER + r")(?=\s|$)")


def _items(text: str, names: dict, default_sku) -> tuple[dict, list]:
    """Return ({sku: quantity}, spans used) — a quantity before a name wins over one after it."""
    items, spans, cursor = {}, [], 0
    for (start, end), sku in find_items(text, names).items():
        before = BEFORE.search(text[cursor:start])
        qty_start = start
        if before and tr.chinese_number(before.group(1)):
            qty, qty_start = tr.chinese_number(before.group(1)), cursor + before.start()
            cursor = end
        else:
            after = AFTER.match(text[end:])
            qty = tr.chinese_number(after.group(1)) if after else None
            cursor = end + (after.end() if after and qty else 0)
        items[sku] = items.get(sku, 0) + (qty or 1)
        spans.append((qty_start, cursor))
    if not items and default_sku:
        bare = BARE.search(text)
        if bare:
            qty = tr.chinese_number(bare.group(1) or bare.group(2))
            if qty:
                items[default_sku] = qty
                spans.append(bare.span())
    return items, spans


def _address(text: str, spans: list) -> str:
    """Return the address in text: from a province or city name not inside an item, to the end."""
    for match in tr.PLACE.finditer(text):
        if not any(s <= match.start() < e for s, e in spans):
            end = min([s for s, _e in spans if s > match.start()] + [len(text)])
            return text[match.start():end].strip(" ,，;；")
    return ""


def _trailing_name(address: str) -> tuple[str, str]:
    """Split a recipient written after the address (`…18号 张三`) off it."""
    head, _, last = address.rpartition(" ")
    if head and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", last) and not re.search(r"[号室楼栋弄路街道村区]$", last):
        return head.strip(), last
    return address, ""


def _check(entry: Entry, phone_text: str) -> None:
    """List what an entry lacks before it can become an order."""
    if not entry.items:
        entry.missing.append("items")
    if not entry.phone:
        entry.missing.append("phone_short" if tr.SHORT_PHONE.search(phone_text) else "phone")
    if not entry.address:
        entry.missing.append("address")
    elif tr.PLACE.match(entry.address) is None:
        entry.missing.append("province")
