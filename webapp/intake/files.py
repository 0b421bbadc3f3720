"""Read an order file (CSV or XLSX with a header row) as a stream of order drafts.

Headers map to contract field names through DEFAULT_HEADERS (English names and the usual Chinese
headers). Rows sharing an external id (one after another) are the lines of one order; without an
external id column each row is one order whose id is a hash of its content, so a re-import of the
same file finds it. XLSX is read with openpyxl in read-only (streaming) mode after checking the zip
for bombs; a cell holding a formula is refused, never evaluated.
"""
import codecs
import csv
import hashlib
import io
import itertools
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from webapp.config import setting
from webapp.intake.services import Draft

DEFAULT_HEADERS = {
    "external_id": ("external_id", "订单号", "外部单号", "订单编号", "单号", "order id"),
    "customer_name": ("customer_name", "客户", "客户名", "客户姓名", "姓名", "收件人", "收货人", "name"),
    "customer_phone": ("customer_phone", "电话", "手机", "手机号", "联系电话", "收件人电话", "phone"),
    "address": ("address", "地址", "收货地址", "收件地址", "详细地址"),
    "sku": ("sku", "商品编码", "编码", "货号", "商品编号"),
    "quantity": ("quantity", "数量", "qty", "件数"),
    "discount": ("discount", "优惠", "折扣金额"),
    "shipping_fee": ("shipping_fee", "运费"),
    "notes": ("notes", "备注", "买家留言"),
}
ORDER_KEYS = ("external_id", "customer_name", "customer_phone", "address", "discount", "shipping_fee", "notes")
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 100


class FileRefused(ValueError):
    """A file that is not read at all (wrong type, too large, a zip bomb, no usable header)."""


def limits() -> tuple[int, int]:
    """(bytes, rows) a file may have; ORDERHUB_IMPORT_MAX_BYTES / ORDERHUB_IMPORT_MAX_ROWS override."""
    return int(setting("IMPORT_MAX_BYTES", MAX_BYTES)), int(setting("IMPORT_MAX_ROWS", MAX_ROWS))


REQUIRED = ("customer_name", "customer_phone", "address", "sku")


def guess(header) -> dict[int, str]:
    """Guess each column's field from its header text (DEFAULT_HEADERS); unknown columns are left out."""
    known = {alias.lower(): name for name, aliases in DEFAULT_HEADERS.items() for alias in aliases}
    columns = {}
    for i, cell in enumerate(header):
        name = known.get(str(cell or "").strip().lower())
        if name and name not in columns.values():
            columns[i] = name
    return columns


def require_columns(columns: dict) -> dict[int, str]:
    """Return columns when they name every field an order needs, each once; else raise FileRefused."""
    names = list(columns.values())
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise FileRefused(f"more than one column is mapped to: {', '.join(twice)}")
    lacking = [n for n in REQUIRED if n not in names]
    if lacking:
        raise FileRefused(f"the header row lacks columns for: {', '.join(lacking)}")
    return columns


def mapping(header) -> dict[int, str]:
    """Map column positions to field names; refuse a header without the fields an order needs."""
    return require_columns(guess(header))


def _rows(path: Path):
    """Yield the file's rows as lists of cells (the header first)."""
    max_bytes, _ = limits()
    size = path.stat().st_size
    if size > max_bytes:
        raise FileRefused(f"the file is larger than {max_bytes // (1024 * 1024)} MB")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with open(path, encoding=_encoding(path), errors="replace", newline="") as handle:
            yield from csv.reader(handle)  # streamed: one row in memory at a time
    elif suffix == ".xlsx":
        _check_zip(path)
        book = load_workbook(path, read_only=True, data_only=False)
        try:
            yield from book.worksheets[0].iter_rows(values_only=True)
        finally:
            book.close()
    else:
        raise FileRefused("only CSV and XLSX files can be imported")


def _encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the first megabyte decodes as such, else GB18030.

    Excel on Chinese Windows saves CSV as GBK; a UTF-8 character cut at the megabyte's end is no error.
    """
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def count_rows(path) -> int:
    """Estimate the data rows of a file for progress (CSV: line ends; XLSX: the sheet's dimension); 0: unknown."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with open(path, "rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 16), b""))
        return max(lines - 1, 0)
    try:
        _check_zip(path)
        book = load_workbook(path, read_only=True)
        try:
            sheet = book.worksheets[0]
            rows, member = sheet.max_row, getattr(sheet, "_worksheet_path", None)
        finally:
            book.close()
        if rows is None and member:  # no dimension recorded (write-only producers): count the row tags
            rows = _count_row_tags(path, member)
        return max((rows or 1) - 1, 0)
    except Exception:  # an unreadable sheet is refused later, with its reason, by read()
        return 0


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_row_tags(path: Path, member: str) -> int:
    """Count <row> elements in a sheet's XML as it inflates (no parsing, a few MB per pass)."""
    count, tail = 0, b""
    with zipfile.ZipFile(path) as archive, archive.open(member) as sheet:
        for chunk in iter(lambda: sheet.read(1 << 16), b""):
            data = tail + chunk
            count += len(ROW_TAG.findall(data))
            tail = data[-8:]
            count -= len(ROW_TAG.findall(tail))  # a tag in the kept tail is counted with the next chunk
    return count + len(ROW_TAG.findall(tail))


def header_row(path) -> list[str]:
    """Return the file's header row as text; raise FileRefused for a file that cannot be read."""
    rows = _rows(Path(path))
    try:
        first = next(rows, None)
    except FileRefused:
        raise
    except Exception as exc:  # a damaged workbook: openpyxl raises whatever its XML or zip reader does
        raise FileRefused("the file cannot be read as CSV or XLSX") from exc
    finally:
        rows.close()
    if first is None:
        raise FileRefused("the file is empty")
    return [_cell(h) for h in first]


def sample(path, n: int = 3) -> list[list[str]]:
    """Return the first n non-empty data rows as text cells (shown while mapping columns)."""
    rows, found = _rows(Path(path)), []
    try:
        next(rows, None)
        for row in rows:
            cells = [_cell(c) for c in row]
            if any(cells):
                found.append(cells)
            if len(found) >= n:
                break
    finally:
        rows.close()
    return found


def _check_zip(path: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise FileRefused("this is not an XLSX file")
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    unzipped = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unzipped > MAX_UNZIPPED or unzipped / packed > MAX_RATIO:
        raise FileRefused("the XLSX file expands too much (a zip bomb?)")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone or quantity Excel kept as a number
    return str(value).strip()


def read(path, columns: dict | None = None) -> tuple[list, dict, object]:
    """Return (header, column mapping, a stream of (row number, {field: text}, cells)); raise FileRefused.

    columns ({position: field}, e.g. a remembered mapping) replaces the guess from the header texts.
    """
    path = Path(path)
    rows = _rows(path)
    header = next(rows, None)
    if header is None:
        raise FileRefused("the file is empty")
    columns = mapping(header) if columns is None else require_columns(columns)
    _, max_rows = limits()

    def stream():
        for number, row in enumerate(rows, start=2):
            if number - 1 > max_rows:
                raise FileRefused(f"the file has more than {max_rows} rows")
            cells = [_cell(c) for c in row]
            if any(cells):
                yield number, {name: cells[i] if i < len(cells) else "" for i, name in columns.items()}, cells
    return [_cell(h) for h in header], columns, stream()


def drafts(rows):
    """Group rows into order drafts: consecutive rows with the same external id are one order's lines."""
    def key(item):
        number, values, _cells = item
        return values.get("external_id") or f"row-{number}"
    for _key, group in itertools.groupby(rows, key=key):
        group = list(group)
        yield _draft(group)


def _draft(group) -> Draft:
    number, first, _ = group[0]
    raw = {k: first.get(k, "") for k in ORDER_KEYS if k in first}
    items = [{"sku": values.get("sku", ""), "quantity": values.get("quantity") or "1"} for _n, values, _c in group]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(cells for _n, _v, cells in group)
    source = buffer.getvalue()
    if not raw.get("external_id"):
        raw["external_id"] = "f-" + hashlib.sha1(source.encode()).hexdigest()[:24]
    formulas = sorted({f"row {n}" for n, values, _c in group for v in values.values() if v.startswith("=")})
    problems = [f"{', '.join(formulas)}: a formula is not accepted in a cell"] if formulas else []
    return Draft(number, raw, items, source=source, problems=problems)


def safe_cell(value) -> str:
    """Neutralise a value a spreadsheet would run as a formula (=, +, -, @, tab, CR) in an error file."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_errors(path, header: list, outcome) -> None:
    """Write the failed rows with their reason as a CSV to fix and re-upload (formula-safe)."""
    with open(path, "w", newline="", encoding="utf-8-sig") as out:
        write_error_rows(out, header, outcome.errors)


def write_error_rows(out, header: list, errors) -> None:
    """Write a header and each failed row's cells plus its reason to a text stream (formula-safe CSV)."""
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header] + ["error"])
    for _line, message, raw in errors:
        for row in csv.reader(io.StringIO(raw)):
            writer.writerow([safe_cell(c) for c in row] + [safe_cell(message)])
