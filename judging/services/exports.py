"""Exports of a round, with the fixed columns documented in docs/judging.md.

The numbers are the ones on screen: the same selectors, two decimals. One table of typed
values (text, whole numbers, two-decimal ``Decimal``s, ``None`` for empty) goes to the one
tabular writer, ``core.exports``, which owns both file formats and the formula guard (a text
cell starting with ``= + - @``, tab or CR gets a leading quote; numbers are never touched).
"""

from decimal import Decimal

from .. import selectors
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

    for row in selectors.ranking(round_):
        r = row.ranked
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
        ]


def table(round_, what):
    """``(columns, rows)`` of the ``scores`` or ``ranking`` export, rows as typed values."""
    if what == "scores":
        return SCORE_COLUMNS, score_rows(round_)
    if what == "ranking":
        return RANKING_COLUMNS, ranking_rows(round_)
    raise ValueError(what)
