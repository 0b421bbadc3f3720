"""Read an order file (CSV or XLSX with a header row) as a stream of order drafts.

Headers map to contract field names through DEFAULT_HEADERS (English names and the usual Chinese
headers). Rows sharing an external id (one after another) are the lines of one order; without an
external id column each row is one order whose id is a hash of its content, so a re-import of the
same file finds it. XLSX is read with openpyxl in read-only (streaming) mode after checking the zip
for bombs; a cell holding a formula is refused, never evaluated.
"""
import csv
import hashlib
import io
import itertools
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


def mapping(header) -> dict[int, str]:
    """Map column positions to field names; refuse a header without the fields an order needs."""
    known = {alias.lower(): name for name, aliases in DEFAULT_HEADERS.items() for alias in aliases}
    columns = {}
    for i, cell in enumerate(header):
        name = known.get(str(cell or "").strip().lower())
        if name and name not in columns.values():
            columns[i] = name
    lacking = [n for n in ("customer_name", "customer_phone", "address", "sku") if n not in columns.values()]
    if lacking:
        raise FileRefused(f"the header row lacks columns for: {', '.join(lacking)}")
    return columns


def _rows(path: Path):
    """Yield the file's rows as lists of cells (the header first)."""
    max_bytes, _ = limits()
    size = path.stat().st_size
    if size > max_bytes:
        raise FileRefused(f"the file is larger than {max_bytes // (1024 * 1024)} MB")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="replace")  # Excel on Chinese Windows saves CSV as GBK
        yield from csv.reader(io.StringIO(text))
    elif suffix == ".xlsx":
        _check_zip(path)
        book = load_workbook(path, read_only=True, data_only=False)
        try:
            yield from book.worksheets[0].iter_rows(values_only=True)
        finally:
            book.close()
    else:
        raise FileRefused("only CSV and XLSX files can be imported")


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


def read(path) -> tuple[list, dict, object]:
    """Return (header, column mapping, a stream of (row number, {field: text}, cells)); raise FileRefused."""
    path = Path(path)
    rows = _rows(path)
    header = next(rows, None)
    if header is None:
        raise FileRefused("the file is empty")
    columns = mapping(header)
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
        writer = csv.writer(out)
        writer.writerow([safe_cell(h) for h in header] + ["error"])
        for _line, message, raw in outcome.errors:
            for row in csv.reader(io.StringIO(raw)):
                writer.writerow([safe_cell(c) for c in row] + [safe_cell(message)])
