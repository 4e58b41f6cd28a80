"""CSV exports of a round, with the fixed columns documented in docs/judging.md.

The numbers are the ones on screen: the same selectors, two decimals.
"""

import csv

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


def _num(value):
    return "" if value is None else f"{value:.2f}"


def score_rows(round_):
    """One row per (review, criterion) of the round's non-calibration reviews."""

    criteria = list(round_.criteria.all())
    scores = {
        (s["review_id"], s["criterion_id"]): s["value"]
        for s in Score.objects.filter(review__round=round_).values(
            "review_id", "criterion_id", "value"
        )
    }
    reviews = (
        round_.reviews.filter(is_calibration=False)
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
    for review in reviews:
        for c in criteria:
            value = scores.get((review.id, c.id))
            yield [
                round_.display_name,
                review.submission.id,
                review.submission.title,
                str(review.submission.track) if review.submission.track else "",
                review.juror_id,
                c.display_name,
                _num(c.weight),
                _num(c.scale_min),
                _num(c.scale_max),
                _num(value),
                review.state,
            ]


def ranking_rows(round_):
    from .. import selectors

    for row in selectors.ranking(round_):
        r = row.ranked
        yield [
            r.rank or "",
            row.entry.id,
            row.entry.title,
            row.entry.track,
            round_.method,
            r.display_score or "",
            r.reviews_done,
            r.reviews_expected,
            ";".join(r.flags),
        ]


def write_csv(out, round_, what):
    """Write the ``scores`` or ``ranking`` CSV of ``round_`` to the text stream ``out``."""
    writer = csv.writer(out)
    if what == "scores":
        writer.writerow(SCORE_COLUMNS)
        writer.writerows(score_rows(round_))
    elif what == "ranking":
        writer.writerow(RANKING_COLUMNS)
        writer.writerows(ranking_rows(round_))
    else:
        raise ValueError(what)
