"""Exports of a round, with the fixed columns documented in docs/judging.md.

The numbers are the ones on screen: the same selectors, two decimals. One table of typed
values (text, whole numbers, two-decimal ``Decimal``s, ``None`` for empty) goes to the one
tabular writer, ``core.exports``, which owns both file formats and the formula guard (a text
cell starting with ``= + - @``, tab or CR gets a leading quote; numbers are never touched).
"""

from decimal import Decimal

from challenges.enums import FormStage
from submissions.services.answers import shown

from .. import selectors
from ..models import FollowUpAnswers, Score

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
    "score_low",
    "score_high",
    "p_above_cut",
]
SCREENING_COLUMNS = [
    "round",
    "entry_id",
    "entry_title",
    "track",
    "status",
    "outcome",
    "reason",
    "decided_by",
    "note",
    "screener_decisions",
]
# Then one column per follow-up question, headed by the question's name (``EntryField``
# ``clean_name``): the answers as sent to the jury, as text.
FOLLOWUP_COLUMNS = [
    "round",
    "entry_id",
    "entry_title",
    "track",
    "followup",
    "sent_at",
    "files",
]
# A pairwise round (docs/judging.md, "Pairwise expo judging"): the live ranking, and every
# comparison as it came.
PAIRWISE_COLUMNS = [
    "rank",
    "table",
    "entry_id",
    "entry_title",
    "track",
    "crowd_bt_mu",
    "crowd_bt_sigma",
    "low",
    "high",
    "comparisons",
    "wins",
    "bradley_terry",
    "bradley_terry_sd",
]
COMPARISON_COLUMNS = ["round", "created", "judge_id", "winner_id", "loser_id"]
KINDS = ("scores", "ranking", "screening", "followup", "pairwise", "comparisons")
CENTS = Decimal("0.01")


class Text(str):
    """Marks a cell as text (sanitised on output), as opposed to a number."""


def _two(value):
    return None if value is None else Decimal(value).quantize(CENTS)


def score_rows(round_):
    """One row per (review, criterion) of the round's non-calibration reviews of the entries
    in scope: exactly the reviews the ranking is computed from."""

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

    rows, found = selectors.certainty(round_)
    has_cut = selectors.cut_of(round_) is not None
    for row in rows:
        r, c = row.ranked, found[row.entry.id]
        yield [
            r.rank,
            row.entry.id,
            Text(row.entry.title),
            Text(row.entry.track),
            Text(round_.method),
            _two(r.display_score),
            r.reviews_done,
            r.reviews_expected,
            Text(";".join(r.flags)),
            _two(c.low),
            _two(c.high),
            _two(c.p_above) if has_cut else None,
        ]


def screening_rows(round_):
    """One row per entry of a screening round: its outcome (``eligible``/``ineligible``,
    blank while open), the reason's key, who settled it (``screeners``/``staff``), the
    staff note, and each screener's decision as ``verdict[:reason]`` joined by ``;``."""

    round_name = Text(round_.display_name)
    entries = selectors.screening_entries(round_).values_list("id", "title", "status", "track_id")
    for row in selectors.screening_rows(round_, entries):
        outcome = row.outcome
        yield [
            round_name,
            row.id,
            Text(row.title),
            Text(row.track),
            Text(row.status),
            Text(outcome.verdict if outcome else ""),
            Text(outcome.reason if outcome else ""),
            Text(outcome.source if outcome else ""),
            Text(outcome.note if outcome else ""),
            Text(
                ";".join(
                    f"{d.verdict}:{d.reason}" if d.reason else d.verdict for d in row.decisions
                )
            ),
        ]


def _followup_questions(round_):
    """Every question the round's follow-up asks (archived ones too), in form order."""
    return list(
        round_.followup_questions.filter(stage=FormStage.FOLLOWUP).order_by("sort_order", "id")
    )


def followup_rows(round_, questions):
    """One row per entry in the round's scope: whether its follow-up is ``sent``, a
    ``draft`` or ``none``, when it was sent, the names of the files sent (``;``-joined) and
    the answers as sent — what the jury reads; staff-only answers included."""

    round_name = Text(round_.display_name)
    rows = {row.submission_id: row for row in FollowUpAnswers.objects.filter(round=round_)}
    entries = selectors.entries_in_scope(round_).select_related("track").order_by("pk")
    for entry in entries:
        row = rows.get(entry.pk)
        sent = row is not None and row.submitted_at is not None
        texts = {a["key"]: a["text"] for a in shown(row.frozen, audience="staff")} if sent else {}
        yield [
            round_name,
            entry.id,
            Text(entry.title),
            Text(entry.track or ""),
            Text("sent" if sent else "draft" if row is not None else "none"),
            row.submitted_at if sent else None,
            Text(";".join(f.get("name", "") for f in row.files) if sent else ""),
            *(Text(texts.get(q.clean_name, "")) for q in questions),
        ]


def _float(value, places="0.0001"):
    return Decimal(str(value)).quantize(Decimal(places))


def pairwise_rows(round_):
    """One row per project with a table, in the live ranking's order."""
    from .pairwise import ranking

    for row in ranking(round_):
        entry = row.entry
        yield [
            row.rank,
            row.table,
            entry.id,
            Text(entry.title),
            Text(entry.track or ""),
            _float(row.mu),
            _float(row.sigma),
            _float(row.low),
            _float(row.high),
            row.comparisons,
            row.wins,
            _float(row.bt),
            _float(row.bt_sd),
        ]


def comparison_rows(round_):
    round_name = Text(round_.display_name)
    for c in round_.comparisons.order_by("created", "id"):
        yield [round_name, c.created, c.judge_id, c.winner_id, c.loser_id]


def kinds_for(round_):
    """The exports a round has: scores and ranking, a screening round's outcomes, or a
    pairwise round's ranking and comparisons; and its follow-up answers once it asks a
    follow-up."""
    if round_.is_screening:
        kinds = ("screening",)
    elif round_.is_pairwise:
        kinds = ("pairwise", "comparisons")
    else:
        kinds = ("scores", "ranking")
    if round_.followup_questions.exists():
        kinds += ("followup",)
    return kinds


def table(round_, what):
    """``(columns, rows)`` of the ``scores``, ``ranking`` or ``screening`` export, rows as
    typed values; a kind the round does not have (``kinds_for``) is a ``ValueError``."""
    if what not in kinds_for(round_):
        raise ValueError(what)
    if what == "screening":
        return SCREENING_COLUMNS, screening_rows(round_)
    if what == "followup":
        questions = _followup_questions(round_)
        return (
            [*FOLLOWUP_COLUMNS, *(q.clean_name for q in questions)],
            followup_rows(round_, questions),
        )
    if what == "pairwise":
        return PAIRWISE_COLUMNS, pairwise_rows(round_)
    if what == "comparisons":
        return COMPARISON_COLUMNS, comparison_rows(round_)
    if what == "scores":
        return SCORE_COLUMNS, score_rows(round_)
    if what == "ranking":
        return RANKING_COLUMNS, ranking_rows(round_)
    raise ValueError(what)
