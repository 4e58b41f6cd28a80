"""The one writer of tabular exports: a table in, a CSV or an XLSX file out.

Callers build ``columns`` (header texts) and ``rows`` (iterables of cells) and never write
a file format themselves. A cell's Python type decides what it becomes:

* ``int``, ``float``, ``Decimal`` (not ``bool``): a **number**, never changed. In CSV a plain
  number with a dot decimal and no thousands separator (a ``Decimal`` keeps its places:
  ``Decimal("2.50")`` is ``2.50``); in XLSX a numeric cell, a ``Decimal`` shown with its
  places (number format ``0.00`` for two).
* ``None``: an empty cell.
* ``date``/``datetime``/``time``: ISO 8601 text (``2026-03-01T09:30:00+05:00``).
* anything else (``str``, lazy translations, enum members, model instances): **text**,
  through ``str()``.

Text is what a participant typed, so it is never trusted: a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote
(``'=HYPERLINK(…)``) so that no spreadsheet runs it as a formula (CSV/formula injection,
OWASP's advice). In XLSX the same quoted text is also stored with the string type, so
openpyxl never writes it as a formula and Excel never evaluates it; the control characters
XML cannot hold become U+FFFD there. Header cells go through the same rule.

The files, for spreadsheets (docs/judging.md, "The files, for spreadsheets"):

* CSV: UTF-8 **with a byte-order mark** (Excel otherwise reads the file in the local ANSI
  code page and garbles Uzbek ʻ and Cyrillic), comma-separated, CRLF line ends (RFC 4180).
* XLSX: one sheet (or one per table, ``workbook_bytes``), openpyxl's write-only mode
  (constant memory for long tables).
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
NUMBERS = (int, float, Decimal)
# Excel's limits for a sheet title: 31 characters, none of []:*?/\
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_STEM_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_text(value):
    """``value`` as text a spreadsheet will not run: a quote before a formula-like start."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _is_number(value):
    return isinstance(value, NUMBERS) and not isinstance(value, bool)


def _text(value):
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    return safe_text(value)


def _csv_cell(value):
    if value is None:
        return ""
    if _is_number(value):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    return _text(value)


def write_csv(out, columns, rows):
    """Write the table to the text stream ``out`` (open it with ``newline=""``), byte-order
    mark first."""
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow([_csv_cell(v) for v in columns])
    writer.writerows([_csv_cell(v) for v in row] for row in rows)


def csv_text(columns, rows):
    """The table as CSV text, byte-order mark included."""
    buffer = io.StringIO(newline="")
    write_csv(buffer, columns, rows)
    return buffer.getvalue()


def _decimal_format(value):
    places = -value.as_tuple().exponent if value.is_finite() else 0
    return "0." + "0" * places if places > 0 else "0"


def _xlsx_cell(sheet, value):
    if value is None:
        return None
    if _is_number(value):
        if isinstance(value, Decimal):
            cell = WriteOnlyCell(sheet, value=float(value))
            cell.number_format = _decimal_format(value)
            return cell
        return value
    cell = WriteOnlyCell(sheet)
    # A str starting with "=" would be stored as a formula: set the (already quoted) value,
    # then force the string type.
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", _text(value))
    cell.data_type = "s"
    return cell


def sheet_title(name):
    """``name`` as a valid Excel sheet title."""
    return (_SHEET_UNSAFE.sub("-", str(name)).strip("'") or "export")[:31]


def xlsx_bytes(columns, rows, *, sheet="export"):
    """The table as an Excel workbook with one sheet named ``sheet``."""
    return workbook_bytes([(sheet, columns, rows)])


def workbook_bytes(sheets):
    """An Excel workbook of several tables: ``sheets`` is ``[(name, columns, rows), …]``,
    one sheet each, in order (the same cell rules as every export; titles made valid and
    unique)."""
    book = Workbook(write_only=True)
    used = set()
    for name, columns, rows in sheets:
        title = base = sheet_title(name)
        n = 2
        while title.lower() in used:
            suffix = f" ({n})"
            title = base[: 31 - len(suffix)] + suffix
            n += 1
        used.add(title.lower())
        page = book.create_sheet(title)
        page.append([_xlsx_cell(page, v) for v in columns])
        for row in rows:
            page.append([_xlsx_cell(page, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(fmt, columns, rows, *, sheet="export"):
    """The file's bytes in ``fmt`` (``"csv"`` or ``"xlsx"``)."""
    if fmt == CSV:
        return csv_text(columns, rows).encode("utf-8")
    if fmt == XLSX:
        return xlsx_bytes(columns, rows, sheet=sheet)
    raise ValueError(fmt)


def filename(stem, fmt):
    """``stem.fmt`` with only ASCII letters, digits, dot, dash and underscore."""
    return f"{_STEM_UNSAFE.sub('-', stem).strip('.-') or 'export'}.{fmt}"


def response(fmt, *, stem, columns, rows, sheet=None):
    """A download of the table: ``stem.csv`` or ``stem.xlsx``, as an attachment."""
    body = render(fmt, columns, rows, sheet=sheet or stem)
    answer = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    answer["Content-Disposition"] = content_disposition_header(True, filename(stem, fmt))
    answer["X-Content-Type-Options"] = "nosniff"
    return answer


def requested_format(request, default=None):
    """``"csv"`` or ``"xlsx"`` from ``?format=``, else ``default``."""
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else default
