"""The exports open safely in a spreadsheet: no formula injection, Excel-readable UTF-8,
numbers as numbers; the XLSX download holds the same cells as the CSV."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from core.exports import safe_text
from judging.services.exports import RANKING_COLUMNS, SCORE_COLUMNS
from tests.factories import SuperuserFactory, TrackFactory

from .helpers import assign, make_entries, make_juror, make_round, submit_scores

pytestmark = pytest.mark.django_db

HOSTILE_TITLES = [
    '=HYPERLINK("http://evil.example","Bosing")',
    "+998 71 000 00 00",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTab bilan",
    "\rQaytish",
    "Koʻngillilar — Волонтёры",
]


def _hostile_round():
    round_ = make_round(
        k=1,
        criteria=[
            {"name": "=Taʼsir", "weight": 2, "scale_min": -5, "scale_max": 5, "step": 1},
            {"name": "Команда", "weight": "0.5", "scale_min": 0, "scale_max": 5, "step": "0.5"},
        ],
    )
    round_.name_en = "@Shortlist"
    round_.save(update_fields=["name_en"])
    track = TrackFactory(challenge=round_.challenge, name="-Sogʻliq", name_en="-Health")
    entries = make_entries(round_.challenge, len(HOSTILE_TITLES), track=track)
    juror = make_juror(round_.challenge)
    for i, (entry, title) in enumerate(zip(entries, HOSTILE_TITLES, strict=True)):
        entry.title = title
        entry.save(update_fields=["title"])
        submit_scores(assign(round_, juror, [entry], key_start=i)[0], [i - 3, 2.5])
    return round_


def _csv(client, round_, what):
    response = client.get(reverse("judging_admin:export", args=[round_.id, what]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="round-{round_.id}-{what}.csv"'
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_safe_text_quotes_only_formula_like_starts():
    assert [safe_text(t) for t in HOSTILE_TITLES] == ["'" + t for t in HOSTILE_TITLES[:-1]] + [
        "Koʻngillilar — Волонтёры"
    ]
    assert safe_text("Aqlli niqob = 1") == "Aqlli niqob = 1"


def test_csv_text_cells_cannot_start_a_formula_and_numbers_stay_numbers(client):
    round_ = _hostile_round()
    client.force_login(SuperuserFactory())
    scores = _csv(client, round_, "scores")
    ranking = _csv(client, round_, "ranking")
    assert scores[0] == SCORE_COLUMNS
    assert ranking[0] == RANKING_COLUMNS

    titles = {row[2] for row in ranking[1:]}
    assert titles == {safe_text(t) for t in HOSTILE_TITLES}
    assert "Koʻngillilar — Волонтёры" in titles
    assert {row[3] for row in ranking[1:]} == {"'-Health"}
    assert {row[0] for row in scores[1:]} == {"'@Shortlist"}
    assert {row[5] for row in scores[1:]} == {"'=Taʼsir", "Команда"}
    for row in scores[1:] + ranking[1:]:
        assert not row[2].startswith(("=", "+", "-", "@", "\t", "\r")), row
    # Numbers are plain numbers with a dot decimal, a negative one included.
    impact = [row for row in scores[1:] if row[5] == "'=Taʼsir"]
    assert {(row[6], row[7], row[8]) for row in impact} == {("2.00", "-5.00", "5.00")}
    assert sorted(row[9] for row in impact) == [
        "-1.00",
        "-2.00",
        "-3.00",
        "0.00",
        "1.00",
        "2.00",
        "3.00",
    ]
    for row in ranking[1:]:
        assert row[5] == f"{float(row[5]):.2f}"
        assert int(row[0]) >= 1


def test_the_command_writes_the_same_bytes_to_a_file(tmp_path, client):
    round_ = _hostile_round()
    client.force_login(SuperuserFactory())
    for what in ("scores", "ranking"):
        target = tmp_path / f"{what}.csv"
        call_command(
            "export_judging", "--round", str(round_.id), "--what", what, "--output", str(target)
        )
        download = client.get(reverse("judging_admin:export", args=[round_.id, what]))
        assert target.read_bytes() == download.content


DECIMAL_COLUMNS = {
    "weight",
    "scale_min",
    "scale_max",
    "score",
    "score_low",
    "score_high",
    "p_above_cut",
}


def _cell_as_csv(column, value):
    """The CSV text of an XLSX cell (the XLSX file stores 2.00 as the number 2)."""
    if value is None:
        return ""
    if column in DECIMAL_COLUMNS:
        assert isinstance(value, int | float), (column, value)
        return f"{value:.2f}"
    return str(value)


def _xml_line_ends(row):
    """XLSX is XML, whose parsers read a bare CR as LF: compare text that way."""
    return [cell.replace("\r", "\n") for cell in row]


@pytest.mark.parametrize("what", ["scores", "ranking"])
def test_xlsx_holds_the_csv_cells_with_numbers_as_numbers(client, tmp_path, what):
    round_ = _hostile_round()
    client.force_login(SuperuserFactory())
    expected = _csv(client, round_, what)
    response = client.get(reverse("judging_admin:export_xlsx", args=[round_.id, what]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content))[what]
    cells = list(sheet.iter_rows())
    columns = expected[0]
    assert [c.value for c in cells[0]] == columns
    assert [
        [_cell_as_csv(name, c.value) for name, c in zip(columns, row, strict=True)]
        for row in cells[1:]
    ] == [_xml_line_ends(row) for row in expected[1:]]
    for row in cells[1:]:
        for name in DECIMAL_COLUMNS & set(columns):
            cell = row[columns.index(name)]
            if name == "p_above_cut" and cell.value is None:
                continue  # empty while the round has no cut
            assert cell.data_type == "n", (name, cell.value)
            assert cell.number_format == "0.00"
        assert row[columns.index("entry_id")].data_type == "n"
        assert row[columns.index("entry_title")].data_type == "s"  # never a formula
    # The management command writes the same workbook.
    target = tmp_path / f"{what}.xlsx"
    call_command(
        "export_judging",
        "--round",
        str(round_.id),
        "--what",
        what,
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    again = load_workbook(target)[what]
    assert [[c.value for c in row] for row in again.iter_rows()] == [
        [c.value for c in row] for row in cells
    ]
