# ruff: noqa: RUF003 -- maths notation (−, ×, Σ) in comments
"""Rankings recomputed from the scores CSV alone, by the formulas of docs/judging.md.

A spreadsheet user (and an outside checker) has only the two CSV files and the docs. The
recomputation below is written from the docs, not from ``judging.services.aggregation`` (which
this module deliberately does not import), and must give the ranking CSV's scores and order,
which must be the staff ranking page's.
"""

import csv
import io
import math
import re
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cms.demo import judging as demo
from judging.enums import ReviewState
from judging.models import Review, Round
from tests.factories import SuperuserFactory, TrackFactory

from .helpers import assign, make_entries, make_juror, make_round, submit_scores

pytestmark = pytest.mark.django_db

BOM = "\ufeff"


# --- reading the files as a spreadsheet user would ----------------------------------------
def read_csv(text):
    """Rows of a CSV export as dicts; the export starts with a UTF-8 byte-order mark."""
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[len(BOM) :], newline="")))


def download(client, round_, what):
    response = client.get(reverse("judging_admin:export", args=[round_.id, what]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return response.content.decode("utf-8")


def command(round_, what):
    out = io.StringIO()
    call_command("export_judging", "--round", str(round_.id), "--what", what, stdout=out)
    return out.getvalue()


def staff_page_rows(client, round_):
    """(rank, entry id, score) of every row of the staff ranking table, as shown; the page
    prints ``51`` for the CSV's exact ``51.00``, so scores come back as Decimals."""
    page = client.get(reverse("judging_admin:round", args=[round_.id])).content.decode()
    rows = re.findall(
        r'<tr><td>([^<]*)</td><td><a href="[^"]*/(\d+)/">[^<]*</a></td><td>[^<]*</td>'
        r"<td>([^<]*)</td>",
        page,
    )
    assert rows
    return [
        ("" if rank == "—" else rank, entry, "" if score == "—" else Decimal(score))
        for rank, entry, score in rows
    ]


# --- the documented formulas, from the scores CSV alone ------------------------------------
def recompute(score_rows, entry_ids, *, method, expected, disagreement=30.0):
    """The ranking of ``entry_ids`` (the entries in scope, as listed by ranking.csv) by the
    formulas in docs/judging.md. Returns ``[(rank, entry_id, score, flags)]`` in rank order;
    ``rank`` and ``score`` are ``None`` when empty."""
    # 1. Only submitted reviews count; one review = the rows of one (entry, juror).
    parts = defaultdict(list)
    for row in score_rows:
        if row["review_status"] == "submitted" and row["score"] != "":
            parts[(int(row["entry_id"]), int(row["juror_id"]))].append(row)
    # The top criterion: highest weight, the first in the file's order on equal weights.
    order = []
    weights = {}
    for row in score_rows:
        if row["criterion"] not in weights:
            order.append(row["criterion"])
            weights[row["criterion"]] = float(row["weight"])
    top = max(order, key=lambda name: (weights[name], -order.index(name)))

    def fraction(row):
        low, high = float(row["scale_min"]), float(row["scale_max"])
        return (float(row["score"]) - low) / (high - low)

    # 2. Each review's 0–100 score: Σ w·(s − min)/(max − min) / Σ w × 100.
    reviews = []  # (entry, juror, y, top criterion 0–100)
    for (entry, juror), rows in parts.items():
        y = sum(float(r["weight"]) * fraction(r) for r in rows) / sum(
            float(r["weight"]) for r in rows
        )
        t = next((fraction(r) * 100 for r in rows if r["criterion"] == top), 0.0)
        reviews.append((entry, juror, y * 100, t))

    def mean(values):
        return sum(values) / len(values)

    def pop_sd(values):
        m = mean(values)
        return math.sqrt(sum((v - m) ** 2 for v in values) / len(values))

    # 3. The method's view of each review.
    if method == "normalised":
        panel = [y for _e, _j, y, _t in reviews]
        big_m, big_s = mean(panel), pop_sd(panel)
        per_juror = defaultdict(list)
        for _e, juror, y, _t in reviews:
            per_juror[juror].append(y)
        stats = {j: (mean(v), pop_sd(v)) for j, v in per_juror.items()}
        adjusted = []
        for entry, juror, y, t in reviews:
            m_j, s_j = stats[juror]
            # One review or all equal (SD ≤ 0.000001): keep the raw score; else clip.
            z_mapped = big_m + big_s * (y - m_j) / s_j if s_j > 1e-6 else None
            value = y if z_mapped is None else min(100.0, max(0.0, z_mapped))
            adjusted.append((entry, value, t))
    elif method in ("mean", "trimmed"):
        adjusted = [(entry, y, t) for entry, _j, y, t in reviews]
    else:
        raise AssertionError(f"{method} is not recomputable in a spreadsheet")

    # 4. Per entry in scope: score, tie-break values, flags.
    per_entry = defaultdict(list)
    tops = defaultdict(list)
    for entry, value, t in adjusted:
        per_entry[entry].append(value)
        tops[entry].append(t)
    out = []
    for entry in entry_ids:
        values = per_entry.get(entry, [])
        n = len(values)
        flags = []
        if n:
            kept = sorted(values)[1:-1] if method == "trimmed" and n >= 4 else values
            score = mean(kept)
            top_mean = mean(tops[entry])
            variance = pop_sd(values) ** 2
            spread = max(values) - min(values)
        else:
            score, top_mean, variance, spread = None, 0.0, 0.0, 0.0
        if n < expected:
            flags.append("incomplete")
        if round(spread, 6) > disagreement:  # exactly the threshold is not a disagreement
            flags.append("disagreement")
        out.append((entry, n, score, top_mean, variance, flags))

    # 5. Order: complete first; score at two decimals, descending; top criterion mean,
    # descending; variance, ascending; (submission time — the fixtures submit in id order);
    # entry id.
    out.sort(
        key=lambda r: (
            r[1] < expected,
            -round(r[2], 2) if r[2] is not None else math.inf,
            -round(r[3], 6),
            round(r[4], 6),
            r[0],
        )
    )
    ranked, rank = [], 0
    for entry, n, score, _top, _var, flags in out:
        if n >= expected:
            rank += 1
        ranked.append((rank if n >= expected else None, entry, score, flags))
    return ranked


def assert_recomputes(scores_text, ranking_text, *, expected, disagreement=30.0):
    scores = read_csv(scores_text)
    ranking = read_csv(ranking_text)
    (method,) = {row["method"] for row in ranking}
    ours = recompute(
        scores,
        [int(row["entry_id"]) for row in ranking],
        method=method,
        expected=expected,
        disagreement=disagreement,
    )
    assert [r[1] for r in ours] == [int(row["entry_id"]) for row in ranking], method
    for (rank, entry, score, flags), row in zip(ours, ranking, strict=True):
        assert row["rank"] == ("" if rank is None else str(rank)), (method, entry)
        if score is None:
            assert row["score"] == ""
        else:
            assert float(row["score"]) == pytest.approx(score, abs=0.01), (method, entry)
            assert row["score"] == f"{float(row['score']):.2f}"
        assert (row["flags"].split(";") if row["flags"] else []) == flags, (method, entry)
    return ours


# --- a round built for the purpose ---------------------------------------------------------
CRITERIA = [
    {"name": "Taʼsir", "weight": 3, "scale_min": 1, "scale_max": 10, "step": 1},
    {"name": "Реализуемость", "weight": "1.5", "scale_min": 0, "scale_max": 5, "step": "0.5"},
    {"name": "Jamoa", "weight": "0.5", "scale_min": 10, "scale_max": 20, "step": 1},
]


def _scored_round():
    """Eight entries, k = 3: a harsh and a lenient juror, weights 3/1.5/0.5 on 1–10, 0–5 and
    10–20 scales; an entry with five reviews (trimmed drops two), one with only two (plus a
    draft that must not count), one never reviewed, a juror with a single review and one who
    gives every entry the same marks (both keep raw scores when normalised), a calibration
    review and an entry withdrawn after review (in neither export, counted nowhere)."""
    round_ = make_round(k=3, criteria=CRITERIA, method="mean")
    challenge = round_.challenge
    track = TrackFactory(challenge=challenge, name="Sogʻliq", name_en="=Health")
    entries = make_entries(challenge, 9, track=track)
    entries[0].title = '=HYPERLINK("http://evil.example","Koʻngillilar")'
    entries[0].save(update_fields=["title"])
    neutral_a, neutral_b, harsh, lenient, single, flat = (make_juror(challenge) for _ in range(6))
    # (entry index, juror, scores per criterion); quality roughly falls with the index.
    plan = [
        (0, neutral_a, [9, 4.5, 18]),
        (0, harsh, [6, 3, 14]),
        (0, lenient, [10, 5, 20]),
        (1, neutral_b, [8, 4, 17]),
        (1, harsh, [4, 2, 13]),
        (1, flat, [1, 3.5, 13]),
        (2, neutral_a, [7, 3.5, 16]),
        (2, lenient, [10, 5, 19]),
        (2, neutral_b, [7, 4, 15]),
        (2, harsh, [3, 1.5, 12]),
        (2, flat, [1, 3.5, 13]),
        (3, neutral_a, [6, 3, 15]),
        (3, harsh, [2, 1, 11]),
        (3, lenient, [9, 4.5, 18]),
        (3, single, [5, 2.5, 14]),
        (4, neutral_b, [5, 2.5, 14]),
        (4, lenient, [8, 4, 17]),
        (4, flat, [1, 3.5, 13]),
        (5, neutral_a, [4, 2, 13]),
        (5, harsh, [1, 0.5, 10]),
        (5, neutral_b, [4, 2.5, 12]),
        (6, lenient, [9, 3, 16]),  # only two submitted reviews: incomplete
        (6, neutral_a, [5, 3, 14]),
        (8, harsh, [5, 2.5, 15]),  # this entry is withdrawn below
        (8, lenient, [10, 5, 20]),
    ]
    for i, (index, juror, values) in enumerate(plan):
        submit_scores(assign(round_, juror, [entries[index]], key_start=i)[0], values)
    # A draft with scores and an unstarted review of the incomplete entry: rows, no count.
    draft = assign(round_, flat, [entries[6]], key_start=90)[0]
    submit_scores(draft, [10, 5, 20])
    draft.state = ReviewState.DRAFT
    draft.save(update_fields=["state"])
    assign(round_, neutral_b, [entries[6]], key_start=91)
    # A calibration anchor: never in the CSV, never in the maths.
    anchor = Review.objects.create(
        round=round_, juror=single, submission=entries[5], is_calibration=True
    )
    submit_scores(anchor, [1, 0, 10])
    entries[8].status = "withdrawn"
    entries[8].save(update_fields=["status"])
    # entries[7] has no review at all.
    return round_, entries


@pytest.mark.parametrize("method", ["mean", "normalised", "trimmed"])
def test_ranking_csv_is_recomputed_from_the_scores_csv_by_the_documented_formulas(client, method):
    round_, entries = _scored_round()
    Round.objects.filter(pk=round_.id).update(method=method)
    round_.refresh_from_db()
    client.force_login(SuperuserFactory())

    scores_text = download(client, round_, "scores")
    ranking_text = download(client, round_, "ranking")
    # The command writes the very same files.
    assert command(round_, "scores") == scores_text
    assert command(round_, "ranking") == ranking_text

    ours = assert_recomputes(scores_text, ranking_text, expected=3)

    ranking = read_csv(ranking_text)
    by_id = {int(r["entry_id"]): r for r in ranking}
    # Withdrawn after review: in neither file, and its reviews no longer count at all.
    scored = {int(r["entry_id"]) for r in read_csv(scores_text)}
    assert entries[8].id not in by_id
    assert entries[8].id not in scored
    # scores.csv alone decides: ranking.csv adds only entries without any review.
    assert {e for e, r in by_id.items() if r["reviews_done"] != "0"} == scored
    # Too few reviews: listed after the ranked entries, no rank, a score all the same.
    assert by_id[entries[6].id]["rank"] == ""
    assert by_id[entries[6].id]["flags"].startswith("incomplete")
    assert by_id[entries[6].id]["reviews_done"] == "2"
    assert by_id[entries[7].id]["score"] == ""
    assert [r[0] for r in ours] == [1, 2, 3, 4, 5, 6, None, None]
    # The CSV shows what the staff page shows.
    assert staff_page_rows(client, round_) == [
        (r["rank"], r["entry_id"], Decimal(r["score"]) if r["score"] else "") for r in ranking
    ]


def test_normalisation_visibly_reorders_a_harsh_and_a_lenient_juror(client):
    round_, _entries = _scored_round()
    client.force_login(SuperuserFactory())
    orders = {}
    for method in ("mean", "normalised"):
        Round.objects.filter(pk=round_.id).update(method=method)
        round_.refresh_from_db()
        orders[method] = [r["entry_id"] for r in read_csv(download(client, round_, "ranking"))]
    assert orders["mean"] != orders["normalised"]


def test_the_scores_csv_lists_every_review_and_criterion_with_its_numbers(client):
    round_, entries = _scored_round()
    client.force_login(SuperuserFactory())
    rows = read_csv(download(client, round_, "scores"))
    # 23 submitted + 1 draft + 1 unstarted reviews, 3 criteria each; the anchor and the
    # withdrawn entry's two reviews are left out.
    assert len(rows) == 25 * 3
    first = rows[0]
    assert (first["criterion"], first["weight"], first["scale_min"], first["scale_max"]) == (
        "Taʼsir",
        "3.00",
        "1.00",
        "10.00",
    )
    statuses = {r["review_status"] for r in rows}
    assert statuses == {"submitted", "draft", "assigned"}
    unstarted = [r for r in rows if r["review_status"] == "assigned"]
    assert {r["score"] for r in unstarted} == {""}
    assert {r["entry_id"] for r in unstarted} == {str(entries[6].id)}


# --- the demo a newcomer meets (`make run`) -------------------------------------------------
def test_demo_rankings_are_recomputed_from_the_demo_scores_csv(client, shared_demo):
    # Scored rounds: the screening round has neither scores nor a ranking to recompute.
    rounds = list(Round.objects.filter(challenge__slug="covid-19-challenge-2020", mode="scored"))
    assert rounds
    assert {r.method for r in rounds} == {"normalised"}
    client.force_login(SuperuserFactory())
    orders = {}
    for round_ in rounds:
        for method in ("normalised", "mean", "trimmed"):
            Round.objects.filter(pk=round_.id).update(method=method)
            round_.refresh_from_db()
            scores_text = download(client, round_, "scores")
            ranking_text = download(client, round_, "ranking")
            assert command(round_, "ranking") == ranking_text
            ours = assert_recomputes(
                scores_text,
                ranking_text,
                expected=round_.reviews_per_entry,
                disagreement=float(round_.disagreement_threshold),
            )
            assert staff_page_rows(client, round_) == [
                (r["rank"], r["entry_id"], Decimal(r["score"]) if r["score"] else "")
                for r in read_csv(ranking_text)
            ]
            orders[round_.name, method] = [entry for rank, entry, _s, _f in ours if rank]
    # The shortlist pairs a harsh and a lenient juror with different entries: normalising
    # visibly changes its ranking. (In the final every juror scores every finalist, so a
    # juror's leniency shifts all entries alike and the order may well stay.)
    assert orders[demo.ROUND_NAME, "normalised"] != orders[demo.ROUND_NAME, "mean"]


def test_a_new_round_defaults_to_the_method_a_spreadsheet_can_recompute():
    now = timezone.now()
    round_ = make_round(k=2)
    fresh = Round(
        challenge=round_.challenge, name="Final", opens_at=now, closes_at=now + timedelta(days=1)
    )
    assert fresh.method == "normalised"
