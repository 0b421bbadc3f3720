"""Stream a table out as CSV or XLSX with bounded memory: a header row, then rows arriving in batches.

Callers give cells already made safe (webapp.reports.export.safe_cell) and only readable columns. CSV
starts with a BOM so spreadsheet programs read the Chinese; XLSX is written row by row in XlsxWriter's
constant-memory mode, strings are never read as formulas, URLs or numbers, and decimals stay numbers.
"""
import csv
import io
import tempfile
from decimal import Decimal

import xlsxwriter


def csv_chunks(heads: list, batches):
    """Yield UTF-8 CSV text: the header row, then one chunk per batch of rows."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(heads)
    yield "\ufeff" + buf.getvalue()
    for batch in batches:
        buf.seek(0)
        buf.truncate()
        writer.writerows(batch)
        yield buf.getvalue()


def xlsx_file(sheet_name: str, heads: list, batches):
    """Write the workbook to a temporary file row by row and return the open file at its start."""
    out = tempfile.TemporaryFile()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet(sheet_name[:31])
    sheet.write_row(0, 0, heads)
    number = 0
    for batch in batches:
        for number, row in enumerate(batch, start=number + 1):
            sheet.write_row(number, 0, [float(v) if isinstance(v, Decimal) else v for v in row])
    book.close()
    out.seek(0)
    return out
