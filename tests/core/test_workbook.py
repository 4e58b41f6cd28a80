"""core.exports.workbook_bytes: several tables, one sheet each, the same cell rules."""

import io

from openpyxl import load_workbook

from core import exports


def test_one_sheet_per_table_with_numbers_kept_and_formulas_quoted():
    body = exports.workbook_bytes(
        [
            ("Summary", ["Figure", "Count"], [["People", 4], ["=HYPERLINK(1)", 2]]),
            (
                "People by disability (self-declared)",
                ["Answer", "Count"],
                [["Yes", "fewer than 5"]],
            ),
            ("Summary", ["Again"], [[1]]),  # a repeated title gets a number
        ]
    )
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["Summary", "People by disability (self-decl", "Summary (2)"]
    first = book["Summary"]
    assert first["B2"].value == 4
    assert first["A3"].value == "'=HYPERLINK(1)"
    assert first["A3"].data_type == "s"
    assert book.worksheets[1]["B2"].value == "fewer than 5"
