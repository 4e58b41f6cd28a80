"""Exports of a round, with the fixed columns documented in docs/judging.md.

The numbers are the ones on screen: the same selectors, two decimals. One table of typed
values (text, whole numbers, two-decimal ``Decimal``s, ``None`` for empty) feeds both formats:

* CSV: UTF-8 **with a byte-order mark** (Excel otherwise reads the file as the local ANSI code
  page and garbles Uzbek ʻ and Cyrillic), comma-separated, CRLF line ends (RFC 4180), numbers
  as plain numbers with a dot decimal.
* XLSX: the same cells; numbers are numeric cells (shown with two decimals).

Text cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) get a leading single quote — CSV/formula injection, OWASP's
advice. Only text columns are touched: a negative number stays a number.
"""

import csv
import io
from decimal import Decimal

from ..models import Score

SCORE_COLUMNS = [
    "round",
    "entry_id",
    "entry_title",
    "track",
    "juror_id",
    "criterion",
    "weight",
    "scale_min",
    "scale_max",
    "score",
    "review_status",
]
RANKING_COLUMNS = [
    "rank",
    "entry_id",
    "entry_title",
    "track",
    "method",
    "score",
    "reviews_done",
    "reviews_expected",
    "flags",
]
KINDS = ("scores", "ranking")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CENTS = Decimal("0.01")


def safe_text(value):
    """``value`` as text a spreadsheet will not run: a quote before a formula-like start."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Text(str):
    """Marks a cell as text (sanitised on output), as opposed to a number."""


def _two(value):
    return None if value is None else Decimal(value).quantize(CENTS)


def score_rows(round_):
    """One row per (review, criterion) of the round's non-calibration reviews of the entries
    in scope: exactly the reviews the ranking is computed from."""
    from .. import selectors

    criteria = list(round_.criteria.all())
    scores = {
        (s["review_id"], s["criterion_id"]): s["value"]
        for s in Score.objects.filter(review__round=round_).values(
            "review_id", "criterion_id", "value"
        )
    }
    reviews = (
        round_.reviews.filter(
            is_calibration=False, submission__in=selectors.entries_in_scope(round_)
        )
        .select_related("submission__track")
        .only(
            "id",
            "state",
            "juror_id",
            "submission__id",
            "submission__title",
            "submission__track__name",
            "submission__track__name_ru",
            "submission__track__name_en",
        )
        .order_by("submission_id", "juror_id")
    )
    round_name = Text(round_.display_name)
    for review in reviews:
        track = Text(review.submission.track) if review.submission.track else Text("")
        for c in criteria:
            yield [
                round_name,
                review.submission.id,
                Text(review.submission.title),
                track,
                review.juror_id,
                Text(c.display_name),
                _two(c.weight),
                _two(c.scale_min),
                _two(c.scale_max),
                _two(scores.get((review.id, c.id))),
                Text(review.state),
            ]


def ranking_rows(round_):
    """One row per entry in scope, in rank order: the staff ranking page's rows."""
    from .. import selectors

    for row in selectors.ranking(round_):
        r = row.ranked
        yield [
            r.rank,
            row.entry.id,
            Text(row.entry.title),
            Text(row.entry.track),
            Text(round_.method),
            None if r.display_score is None else Decimal(r.display_score),
            r.reviews_done,
            r.reviews_expected,
            Text(";".join(r.flags)),
        ]


def table(round_, what):
    """``(columns, rows)`` of the ``scores`` or ``ranking`` export, rows as typed values."""
    if what == "scores":
        return SCORE_COLUMNS, score_rows(round_)
    if what == "ranking":
        return RANKING_COLUMNS, ranking_rows(round_)
    raise ValueError(what)


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Text):
        return safe_text(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def write_csv(out, round_, what):
    """Write the ``scores`` or ``ranking`` CSV of ``round_`` to the text stream ``out``
    (open it with ``newline=""``), byte-order mark first."""
    columns, rows = table(round_, what)
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)


def csv_text(round_, what):
    buffer = io.StringIO(newline="")
    write_csv(buffer, round_, what)
    return buffer.getvalue()


def xlsx_bytes(round_, what):
    """The same table as an Excel workbook (one sheet named after ``what``)."""
    from openpyxl import Workbook  # only the XLSX download needs it

    columns, rows = table(round_, what)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(what)
    sheet.append(columns)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Text):
        cell = WriteOnlyCell(sheet)
        # Assigning a str starting with "=" would make openpyxl store a formula: set the
        # value and then force the string type (the text is already sanitised as in CSV).
        cell.value = safe_text(value)
        cell.data_type = "s"
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=float(value))
        cell.number_format = "0.00"
        return cell
    return value
