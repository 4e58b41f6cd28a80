# ruff: noqa: RUF002, RUF003 -- maths notation (−, ×, α, Σ) in docstrings and comments
"""Reused reads for judging: scopes, queues, per-review scores in SQL, rankings, results."""

from __future__ import annotations

import hashlib
import logging
import pickle
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connections
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    StdDev,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Replace, Trim
from django.utils import translation

from challenges.enums import FormStage
from challenges.models import Prize, Track
from core.memory import gc_paused
from submissions.enums import IN_COMPETITION, SubmissionStatus
from submissions.models import Submission

from .enums import Flag, JurorStatus, ReviewState, RoundMode, RoundScope, RoundStatus, Verdict
from .models import (
    Advancement,
    Criterion,
    FollowUpAnswers,
    Juror,
    Publication,
    Review,
    Round,
    Score,
    ScreeningDecision,
    ScreeningOutcome,
)
from .services import uncertainty
from .services.aggregation import (
    JurorStats,
    RankedEntry,
    ReviewScore,
    aggregate,
    juror_statistics,
    krippendorff_alpha,
)
from .services.jurors import conflicted_pairs

logger = logging.getLogger(__name__)

ELIGIBLE_FOR_JUDGING = [s for s in IN_COMPETITION if s != SubmissionStatus.INCUBATED]


def entries_in_scope(round_):
    """The submissions a round judges (without its calibration anchors).

    "Advanced" rounds take the entries advanced into them; after a screening round, the
    entries it found eligible. An entry found ineligible never enters a next round: its
    status leaves the judged statuses, and "advanced" scopes drop it too. A screening
    round keeps the entries it has ruled on (ineligible ones included), so its own
    counts and lists stay whole.
    """
    if round_.scope == RoundScope.ADVANCED:
        advanced = Q(id__in=Advancement.objects.filter(round_id=round_.pk).values("submission_id"))
        if round_.previous_id:
            # No query for the previous round's mode: the subquery asks it.
            advanced |= Q(
                id__in=ScreeningOutcome.objects.filter(
                    round_id=round_.previous_id,
                    round__mode=RoundMode.SCREENING,
                    verdict=Verdict.ELIGIBLE,
                ).values("submission_id")
            )
        queryset = Submission.objects.filter(advanced, challenge_id=round_.challenge_id).exclude(
            status=SubmissionStatus.INELIGIBLE
        )
        if round_.mode == RoundMode.SCREENING and round_.pk:
            queryset = Submission.objects.filter(
                Q(id__in=queryset.values("id")) | Q(id__in=_ruled_on(round_)),
                challenge_id=round_.challenge_id,
            )
    else:
        in_play = Q(status__in=ELIGIBLE_FOR_JUDGING)
        if round_.mode == RoundMode.SCREENING and round_.pk:
            in_play |= Q(id__in=_ruled_on(round_))
        queryset = Submission.objects.filter(in_play, challenge_id=round_.challenge_id)
    return queryset


def _ruled_on(round_):
    return ScreeningOutcome.objects.filter(round=round_).values("submission_id")


def top_criterion(criteria):
    """The highest-weight criterion (first in order on equal weights): the first tie-break."""
    if not criteria:
        return None
    return max(criteria, key=lambda c: (c.weight, -c.position, -c.id))


def _fraction(prefix=""):
    """``(s − min) / (max − min)`` of one score, as a float expression."""
    value = Cast(F(f"{prefix}value"), FloatField())
    low = Cast(F(f"{prefix}criterion__scale_min"), FloatField())
    high = Cast(F(f"{prefix}criterion__scale_max"), FloatField())
    return (value - low) / (high - low)


def _review_score_rows(round_, criteria, *, submitted_only=True, calibration=False, juror=None):
    """The per-review weighted scores as a grouped queryset (one row per review)."""
    top = top_criterion(criteria)
    weight = Cast(F("criterion__weight"), FloatField())
    found = Score.objects.filter(
        review__round=round_, review__is_calibration=calibration, value__isnull=False
    ).filter(Q(review__state=ReviewState.SUBMITTED) if submitted_only else Q())
    if juror is not None:
        found = found.filter(review__juror=juror)
    return (
        found.values("review_id", "review__submission_id", "review__juror_id")
        .annotate(
            weighted=Sum(weight * _fraction()) / Sum(weight) * 100.0,
            top=Sum(
                Case(When(criterion_id=top.id if top else 0, then=_fraction() * 100.0)),
                output_field=FloatField(),
            ),
        )
        .order_by("review_id")
    )


def review_scores(round_, *, criteria=None, submitted_only=True, calibration=False, juror=None):
    """One row per review with its 0–100 weighted score, computed by the database.

    ``Σ wᵢ·(sᵢ−minᵢ)/(maxᵢ−minᵢ) / Σ wᵢ × 100`` grouped by review; ``top`` is the 0–100 score
    on the highest-weight criterion (for tie-breaks). Returns :class:`ReviewScore` objects;
    ``juror``: only that juror's reviews.
    """
    criteria = criteria if criteria is not None else list(round_.criteria.all())
    rows = _review_score_rows(
        round_, criteria, submitted_only=submitted_only, calibration=calibration, juror=juror
    ).values_list("review__submission_id", "review__juror_id", "weighted", "top")
    # Read the rows straight from the cursor: every column is already a plain int or float,
    # and Django's per-row conversion would cost more than the query for 30,000 reviews.
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [
            ReviewScore(entry, juror, float(weighted), float(top or 0.0))
            for entry, juror, weighted, top in cursor.fetchall()
        ]


def panel_figures(round_, *, criteria=None):
    """``(mean, sd)`` of every submitted review's 0–100 score in the round (population SD),
    computed by the database; ``(None, None)`` before the first review. Kept in the cache
    under the round's :func:`reviews_fingerprint`: one small query while no review changes."""
    criteria = criteria if criteria is not None else list(round_.criteria.all())
    key = _cache_key("panel", round_, criteria, reviews_fingerprint(round_))
    found = _cached(key)
    if found is None:
        found = _review_score_rows(round_, criteria).aggregate(
            mean=Avg("weighted"), sd=StdDev("weighted")
        )
        cache.set(key, found, timeout=ANALYSIS_CACHE_SECONDS)
    if found["mean"] is None:
        return None, None
    return float(found["mean"]), float(found["sd"] or 0.0)


#: Part of every cache key here: raise it when what is stored changes shape, so that a
#: deploy never reads what an older version of the code stored.
CACHE_FORMAT = 2


def _cached(key):
    """What the cache holds under ``key``, or ``None`` — also when it cannot be read back
    (stored by another version of the code): it is then computed again and replaced."""
    try:
        return cache.get(key)
    except (AttributeError, TypeError, ValueError, ImportError, EOFError, pickle.PickleError):
        logger.warning("judging: unreadable cache entry %s; computing it again", key)
        return None


#: How long a computed ranking stays in the cache. Its key changes with its inputs, so this
#: only bounds how long an unused one takes room.
ANALYSIS_CACHE_SECONDS = 24 * 3600


def reviews_fingerprint(round_):
    """What changes whenever a review of ``round_`` or one of its scores does, in one
    aggregate query that reads no score: every score is written by
    ``judging.services.reviews`` together with a new ``version`` of its review (the
    compare-and-set of concurrent saves), every ``save()`` moves ``updated_at``, and a
    review added or deleted changes the count."""
    found = Review.objects.filter(round_id=round_.pk).aggregate(
        n=Count("id"),
        versions=Sum("version"),
        changed=Max("updated_at"),
        submitted=Sum(Case(When(state=ReviewState.SUBMITTED, then=F("id")), default=0)),
        calibration=Sum(Case(When(is_calibration=True, then=F("id")), default=0)),
        jurors=Sum(F("juror_id") * 7 + F("submission_id")),
    )
    return tuple(found.values())


def _entries_fingerprint(round_):
    """What changes whenever the round's entries in scope do (which, their status, title,
    track, submission time): one aggregate query. Every status counts its ids on its own,
    so a status written by ``update()`` (which leaves ``updated_at`` alone) still shows."""
    statuses = {
        f"s{i}": Sum(Case(When(status=value, then=F("id")), default=0))
        for i, value in enumerate(SubmissionStatus.values)
    }
    found = entries_in_scope(round_).aggregate(
        n=Count("id"), changed=Max("updated_at"), submitted=Max("submitted_at"), **statuses
    )
    return tuple(found.values())


def _cache_key(kind, round_, criteria, *fingerprints):
    """A cache key for something computed from ``round_`` (its settings), its ``criteria``
    and the given fingerprints of its rows, in the active language (track names and
    labels are stored translated)."""
    inputs = (
        CACHE_FORMAT,
        kind,
        round_.pk,
        round_.method,
        round_.reviews_per_entry,
        str(round_.disagreement_threshold),
        round_.scope,
        round_.previous_id,
        round_.mode,
        translation.get_language(),
        [
            (c.id, str(c.weight), c.scale_min, c.scale_max, c.must_pass, c.position)
            for c in criteria
        ],
        fingerprints,
    )
    return f"judging:{kind}:{hashlib.sha256(repr(inputs).encode()).hexdigest()}"


def must_pass_failures(round_, *, criteria=None):
    """Entries whose mean on a must-pass criterion (submitted reviews) is below its threshold.

    No query when none of the round's ``criteria`` (read if not given) has a threshold.
    """
    criteria = criteria if criteria is not None else list(round_.criteria.all())
    if all(c.must_pass is None for c in criteria):
        return set()
    rows = (
        Score.objects.filter(
            review__round=round_,
            review__state=ReviewState.SUBMITTED,
            review__is_calibration=False,
            criterion__must_pass__isnull=False,
        )
        .values("review__submission_id", "criterion_id", "criterion__must_pass")
        .annotate(avg=Avg(Cast("value", FloatField())))
    )
    return {
        row["review__submission_id"]
        for row in rows
        if row["avg"] is not None and row["avg"] < float(row["criterion__must_pass"])
    }


@dataclass(frozen=True, slots=True)
class EntryRow:
    """What a ranking shows of an entry: plain values, cheap to build by the thousand."""

    id: int
    title: str
    status: str
    track_id: int | None
    track: str
    submitted_at: object

    def get_status_display(self):
        return STATUS_LABELS.get(self.status, self.status)

    def __str__(self):
        return self.title


STATUS_LABELS = dict(SubmissionStatus.choices)


@dataclass(slots=True)
class RankingRow:
    ranked: RankedEntry
    entry: EntryRow
    flag_text: str = ""


def entry_rows(round_):
    """The round's entries as :class:`EntryRow` (two queries: tracks, entries)."""

    tracks = {t.id: str(t) for t in Track.objects.filter(challenge_id=round_.challenge_id)}
    return [
        EntryRow(
            id=i,
            title=title,
            status=status,
            track_id=track_id,
            track=tracks.get(track_id, ""),
            submitted_at=submitted_at,
        )
        for i, title, status, track_id, submitted_at in entries_in_scope(round_).values_list(
            "id", "title", "status", "track_id", "submitted_at"
        )
    ]


def ranking(round_, *, method=None, entries=None, scores=None, criteria=None):
    """The round's ranking: ``[RankingRow]`` for every entry in scope, in rank order.

    At most five queries whatever the size: criteria, tracks, entries, per-review scores,
    and must-pass means when a criterion has a threshold.
    """
    with gc_paused():  # tens of thousands of small acyclic objects: collect afterwards
        return _ranking(round_, method=method, entries=entries, scores=scores, criteria=criteria)


def _ranking(round_, *, method, entries, scores, criteria):
    criteria = criteria if criteria is not None else list(round_.criteria.all())
    if entries is None:
        entries = entry_rows(round_)
    by_id = {e.id: e for e in entries}
    if scores is None:
        scores = review_scores(round_, criteria=criteria)
    ranked = aggregate(
        scores,
        method=method or round_.method,
        expected=round_.reviews_per_entry,
        entries={e.id: e.submitted_at for e in entries},
        disagreement=float(round_.disagreement_threshold),
        must_pass_failed=must_pass_failures(round_, criteria=criteria),
    )
    return [RankingRow(ranked=r, entry=by_id[r.entry_id]) for r in ranked]


@dataclass(slots=True)
class Analysis:
    """What the staff page of a scored round shows, computed from every submitted review.

    The ranking is kept packed, one plain tuple per row (cheap to keep in the cache and to
    read back by the thousand); :meth:`row` makes a :class:`RankingRow` of the ones shown.
    ``progress``: each juror's ``(assigned, done)``; ``flagged``: the per-review flags,
    ``{kind: (how many, ids of the first REVIEW_FLAGS_SHOWN)}``.
    """

    packed: list[tuple]
    stats: dict[int, JurorStats]
    panel_mean: float | None
    panel_sd: float | None
    alpha: float | None
    progress: dict[int, tuple[int, int]]
    flagged: dict[str, tuple[int, list[int]]]

    @staticmethod
    def pack(row):
        r, e = row.ranked, row.entry
        return (
            *(r.entry_id, r.score, r.reviews_done, r.reviews_expected, r.rank, r.top),
            *(r.variance, r.spread, tuple(r.flags)),
            *(e.title, e.status, e.track_id, e.track, e.submitted_at),
        )

    @staticmethod
    def row(packed):
        (entry_id, score, done, expected, rank, top, variance, spread, flags) = packed[:9]
        title, status, track_id, track, submitted_at = packed[9:]
        return RankingRow(
            ranked=RankedEntry(
                entry_id, score, done, expected, rank, top, variance, spread, list(flags)
            ),
            entry=EntryRow(entry_id, title, status, track_id, track, submitted_at),
        )

    @staticmethod
    def entry_id(packed):
        return packed[0]

    @staticmethod
    def flags(packed):
        return packed[8]


#: How many reviews of each per-review flag the staff page lists (the CSV has them all).
REVIEW_FLAGS_SHOWN = 50


def flagged_reviews(round_):
    """Submitted reviews finished within the round's minimum time, or with no comment,
    found by the database: ``{kind: (how many, ids of the first REVIEW_FLAGS_SHOWN)}`` — four
    queries whatever the round's size."""
    minimum = timedelta(minutes=round_.fast_review_minutes)
    # No comment: blank once the whitespace Python's strip() drops is gone, and no
    # criterion comment either.
    blank = F("overall_comment")
    for space in ("\n", "\r", "\t"):
        blank = Replace(blank, Value(space), Value(""), output_field=TextField())
    reviews = Review.objects.filter(
        round=round_, state=ReviewState.SUBMITTED, is_calibration=False
    ).annotate(bare=Trim(blank))
    kinds = {
        Flag.FAST: Q(
            opened_at__isnull=False,
            submitted_at__isnull=False,
            submitted_at__lt=F("opened_at") + minimum,
        ),
        Flag.NO_COMMENT: Q(bare="")
        & ~Exists(Score.objects.filter(review=OuterRef("pk")).exclude(comment="")),
    }
    found = {}
    for kind, rule in kinds.items():
        flagged = reviews.filter(rule)
        count = flagged.count()
        ids = (
            list(flagged.order_by("id").values_list("id", flat=True)[:REVIEW_FLAGS_SHOWN])
            if count
            else []
        )
        found[kind] = (count, ids)
    return found


def juror_progress(round_):
    """``{juror id: (assigned, done)}`` over the round's reviews (calibration aside), in one
    aggregate query."""
    return {
        juror_id: (assigned, done)
        for juror_id, assigned, done in Review.objects.filter(round=round_, is_calibration=False)
        .values("juror_id")
        .annotate(assigned=Count("id"), done=Count("id", filter=Q(state=ReviewState.SUBMITTED)))
        .values_list("juror_id", "assigned", "done")
        .order_by()
    }


def progress(round_, *, counts=None):
    """The round's jurors (with their users) by e-mail, each with ``assigned`` and ``done``
    from ``counts`` (:func:`juror_progress`, read when not given): two queries."""
    counts = counts if counts is not None else juror_progress(round_)
    jurors = list(Juror.objects.filter(pk__in=counts).select_related("user").order_by("email"))
    for juror in jurors:
        juror.assigned, juror.done = counts[juror.id]
    return jurors


def flagged_review_rows(flagged):
    """The per-review flags :func:`flagged_reviews` found, with what the staff page lists
    of each review (one query for all of them): ``{kind: (how many, [review])}``."""
    ids = {i for _count, shown in flagged.values() for i in shown}
    found = {
        r["id"]: r
        for r in Review.objects.filter(pk__in=ids).values(
            "id", "submission_id", "submission__title", "juror__email"
        )
    }
    return {
        kind: (count, [{**found[i], "flags": [kind]} for i in shown if i in found])
        for kind, (count, shown) in flagged.items()
    }


def analysis(round_, *, criteria=None):
    """The round's ranking, juror statistics and progress, Krippendorff's α and the
    per-review flags, as :class:`Analysis`.

    Computed over every review (the methods need them all) and kept in the cache under
    fingerprints of its inputs — the round's settings and criteria, its reviews
    (:func:`reviews_fingerprint`) and its entries in scope (:func:`_entries_fingerprint`) —
    so a view while nothing has changed costs two small aggregate queries instead of
    reading every review again: the staff page of a round of 6,000 entries costs about what
    one of 600 does. The first view after a review changes computes it again; the exports
    always compute afresh.
    """
    criteria = criteria if criteria is not None else list(round_.criteria.all())
    key = _cache_key(
        "analysis",
        round_,
        criteria,
        round_.fast_review_minutes,
        reviews_fingerprint(round_),
        _entries_fingerprint(round_),
        # The track names shown (a handful of rows; renaming one moves no entry).
        list(
            Track.objects.filter(challenge_id=round_.challenge_id)
            .order_by("id")
            .values_list("id", "name", "name_ru", "name_en")
        ),
    )
    with gc_paused():  # thousands of small acyclic objects, read or built
        found = _cached(key)
        if found is None:
            scores = review_scores(round_, criteria=criteria)
            stats, panel_mean, panel_sd = juror_statistics(scores)
            found = Analysis(
                packed=[
                    Analysis.pack(row) for row in ranking(round_, scores=scores, criteria=criteria)
                ],
                stats=stats,
                panel_mean=panel_mean,
                panel_sd=panel_sd,
                alpha=krippendorff_alpha(scores),
                progress=juror_progress(round_),
                flagged=flagged_reviews(round_),
            )
            cache.set(key, found, timeout=ANALYSIS_CACHE_SECONDS)
    return found


def scoring_jurors(challenge):
    """The challenge's jurors who may be given reviews: active, confidentiality signed
    (``Juror.can_score``), as a queryset."""
    return Juror.objects.filter(
        challenge_id=getattr(challenge, "pk", challenge),
        status=JurorStatus.ACTIVE,
        confidentiality_signed_at__isnull=False,
    )


def cut_of(round_):
    """The round's cut as an ``uncertainty.Cut``, or ``None`` while staff set none."""
    if not round_.cut_rule or round_.cut_value is None:
        return None
    return uncertainty.Cut(round_.cut_rule, float(round_.cut_value))


def certainty(round_, *, cut=None, rows=None, scores=None, criteria=None, entries=None):
    """``(rows, found)``: the round's ranking and each entry's ``Certainty`` at ``cut`` (by
    default the round's own), seeded with the round's id — the numbers of the staff page,
    the ranking export and the boundary action. Cached by its inputs: the same reviews,
    method and cut give the stored result without resampling again."""
    criteria = criteria if criteria is not None else list(round_.criteria.all())
    entries = entries if entries is not None else entry_rows(round_)
    scores = scores if scores is not None else review_scores(round_, criteria=criteria)
    if rows is None:
        rows = ranking(round_, entries=entries, scores=scores, criteria=criteria)
    cut = cut if cut is not None else cut_of(round_)
    failed = sorted(must_pass_failures(round_, criteria=criteria))
    method = round_.method
    digest = hashlib.sha256(
        repr(
            (
                round_.id,
                method,
                round_.reviews_per_entry,
                str(round_.disagreement_threshold),
                cut,
                failed,
                [(e.id, e.track_id, e.submitted_at) for e in entries],
                sorted((s.entry_id, s.juror_id, s.score, s.top) for s in scores),
                uncertainty.RESAMPLES,
            )
        ).encode()
    ).hexdigest()
    key = f"judging:certainty:{CACHE_FORMAT}:{digest}"
    found = _cached(key)
    if found is None:
        with gc_paused():
            found = uncertainty.certainty(
                scores,
                method=method,
                expected=round_.reviews_per_entry,
                entries={e.id: e.submitted_at for e in entries},
                cut=cut,
                tracks={e.id: e.track_id for e in entries},
                disagreement=float(round_.disagreement_threshold),
                must_pass_failed=failed,
                seed=round_.id,
            )
        cache.set(key, found, timeout=24 * 3600)
    return rows, found


def juror_for(user, challenge_id):
    return Juror.objects.filter(
        user=user, challenge_id=challenge_id, status=JurorStatus.ACTIVE
    ).first()


def queue(*, round_, juror):
    """A juror's reviews in their own random order, calibration anchors first.

    An entry the juror has a conflict with is not theirs to see, even where its review was
    kept (submitted before the conflict was declared, or a conflict that arose later):
    the same rule as ``judging.score_review``.
    """
    conflicted = [
        entry_id
        for entry_id, _juror in conflicted_pairs(
            jurors=[juror],
            entries=Submission.objects.filter(reviews__round=round_, reviews__juror=juror),
        )
    ]
    return (
        Review.objects.filter(round=round_, juror=juror)
        .exclude(submission_id__in=conflicted)
        .select_related("submission__track")
        .only(
            "id",
            "state",
            "is_calibration",
            "queue_key",
            "submitted_at",
            "submission__id",
            "submission__title",
            "submission__track__name",
            "submission__track__name_ru",
            "submission__track__name_en",
        )
        .order_by("-is_calibration", "queue_key", "id")
    )


def jurors_who_finished(challenge):
    """Users who finished every review assigned to them in the challenge's rounds."""
    jurors = (
        Juror.objects.filter(challenge=challenge, user__isnull=False, reviews__isnull=False)
        .annotate(
            unfinished=Count("reviews", filter=~Q(reviews__state=ReviewState.SUBMITTED)),
        )
        .filter(unfinished=0)
        .values("user_id")
    )
    return get_user_model().objects.filter(id__in=jurors).order_by("last_name", "first_name", "id")


def published_results(challenge):
    """The public ranking of the challenge's latest published round, or ``None``.

    Rows are plain dicts frozen at publication: ``rank, title, track, score, status``.
    """
    publication = (
        Publication.objects.filter(round__challenge=challenge, round__status=RoundStatus.PUBLISHED)
        .select_related("round")
        .order_by("-round__position", "-published_at")
        .first()
    )
    return publication


def criteria_for(round_):
    return list(Criterion.objects.filter(round=round_).order_by("position", "id"))


def winner_places(challenge, winners):
    """The place of each winning entry, from the challenge's latest published ranking.

    ``winners`` are the ids of the entries that won (status "winner", or "incubated" after
    winning). A winner's place is 1 + the number of winners ranked above it in the
    published ranking — counted within its track when the challenge awards prizes per
    track, across the whole challenge otherwise. Winners missing from the published
    ranking (or every winner, when nothing is published) get no place. At most three
    queries.
    """
    winners = set(winners)
    publication = published_results(challenge)
    if publication is None or not winners:
        return {}

    per_track = Prize.objects.filter(challenge=challenge, track__isnull=False).exists()
    tracks = dict(
        Submission.objects.filter(pk__in=winners).values_list("pk", "track_id") if per_track else ()
    )
    taken = {}
    places = {}
    for row in sorted(publication.rows, key=lambda r: (r["rank"], r["entry_id"])):
        entry = row["entry_id"]
        if entry not in winners or entry in places:
            continue
        group = tracks.get(entry) if per_track else None
        taken[group] = taken.get(group, 0) + 1
        places[entry] = taken[group]
    return places


# --- screening rounds ---------------------------------------------------------------------
#: The lists of a screening round's staff page: everything, what still needs a decision,
#: the screeners' disagreements, and each outcome.
SCREENING_LISTS = ("all", "open", "disagreements", Verdict.ELIGIBLE, Verdict.INELIGIBLE)


def disagreement_ids(round_):
    """Ids (a subquery) of the entries without an outcome whose screeners disagree."""
    return (
        ScreeningDecision.objects.filter(round=round_)
        .exclude(submission_id__in=_ruled_on(round_))
        .values("submission_id")
        .annotate(verdicts=Count("verdict", distinct=True))
        .filter(verdicts__gt=1)
        .values("submission_id")
    )


def screening_counts(round_):
    """The dashboard's numbers: entries in scope, decided, eligible, ineligible, open,
    disagreements (four queries whatever the size)."""
    scope = entries_in_scope(round_)
    total = scope.count()
    by_verdict = dict(
        ScreeningOutcome.objects.filter(round=round_, submission_id__in=scope.values("id"))
        .values("verdict")
        .annotate(n=Count("id"))
        .values_list("verdict", "n")
    )
    eligible = by_verdict.get(Verdict.ELIGIBLE, 0)
    ineligible = by_verdict.get(Verdict.INELIGIBLE, 0)
    decided = eligible + ineligible
    return {
        "total": total,
        "decided": decided,
        "eligible": eligible,
        "ineligible": ineligible,
        "open": total - decided,
        "disagreements": scope.filter(id__in=disagreement_ids(round_)).count(),
        "percent": round(100 * decided / total) if total else 0,
    }


def screening_entries(round_, show="all"):
    """The entries of one list of ``SCREENING_LISTS`` (a queryset, by id)."""
    entries = entries_in_scope(round_)
    if show == "open":
        entries = entries.exclude(id__in=_ruled_on(round_))
    elif show == "disagreements":
        entries = entries.filter(id__in=disagreement_ids(round_))
    elif show in (Verdict.ELIGIBLE, Verdict.INELIGIBLE):
        entries = entries.filter(
            id__in=ScreeningOutcome.objects.filter(round=round_, verdict=show).values(
                "submission_id"
            )
        )
    return entries.order_by("id")


@dataclass(slots=True)
class ScreeningRow:
    """One entry on the staff screening list: its outcome and each screener's decision."""

    id: int
    title: str
    status: str
    track: str
    outcome: ScreeningOutcome | None
    decisions: list

    @property
    def disagreement(self):
        return self.outcome is None and len({d.verdict for d in self.decisions}) > 1

    def get_status_display(self):
        return STATUS_LABELS.get(self.status, self.status)


def screening_rows(round_, entries):
    """:class:`ScreeningRow` for ``entries`` (``(id, title, status, track_id)`` tuples, e.g.
    one page of ``screening_entries``): three queries whatever their number."""
    entries = list(entries)
    ids = [e[0] for e in entries]
    tracks = {t.id: str(t) for t in Track.objects.filter(challenge_id=round_.challenge_id)}
    outcomes = {
        o.submission_id: o
        for o in ScreeningOutcome.objects.filter(round=round_, submission_id__in=ids)
        .select_related("decided_by")
        .only(
            "submission_id",
            "verdict",
            "reason",
            "note",
            "source",
            "at",
            "decided_by__username",
            "decided_by__first_name",
            "decided_by__last_name",
        )
    }
    decisions = {}
    for d in (
        ScreeningDecision.objects.filter(round=round_, submission_id__in=ids)
        .select_related("screener")
        .only(
            "submission_id",
            "verdict",
            "reason",
            "note",
            "at",
            "screener__username",
            "screener__first_name",
            "screener__last_name",
        )
        .order_by("at", "id")
    ):
        decisions.setdefault(d.submission_id, []).append(d)
    return [
        ScreeningRow(
            id=i,
            title=title,
            status=status,
            track=tracks.get(track_id, ""),
            outcome=outcomes.get(i),
            decisions=decisions.get(i, []),
        )
        for i, title, status, track_id in entries
    ]


def screening_queue(*, round_, juror):
    """A screener's reviews (assignments) with their own decision, if any, in queue order."""
    return queue(round_=round_, juror=juror).annotate(
        verdict=Subquery(
            ScreeningDecision.objects.filter(
                round_id=round_.id,
                submission_id=OuterRef("submission_id"),
                screener_id=juror.user_id,
            ).values("verdict")[:1]
        )
    )


def followup_questions(round_, *, track=None):
    """The questions of ``round_``'s follow-up form that an entry in ``track`` is asked, in
    form order (archived ones left out; ``track`` limits as on the entry form)."""
    rows = (
        round_.followup_questions.filter(stage=FormStage.FOLLOWUP, archived=False)
        .prefetch_related("tracks")
        .order_by("sort_order", "id")
    )
    track_id = getattr(track, "pk", track)
    found = []
    for question in rows:
        limited = {t.pk for t in question.tracks.all()}
        if limited and track_id not in limited:
            continue
        found.append(question)
    return found


def rounds_asking(submission, question):
    """The rounds that asked ``submission`` for a follow-up including ``question`` (tracks
    and scope as on the follow-up form), in round order."""
    rounds = (
        Round.objects.filter(followup_questions=question)
        .filter(challenge_id=submission.challenge_id, followup_requested_at__isnull=False)
        .exclude(followup_deadline__isnull=True)
        .select_related("challenge")
        .order_by("position", "id")
    )
    return [
        round_
        for round_ in rounds
        if question in followup_questions(round_, track=submission.track_id)
        and entries_in_scope(round_).filter(pk=submission.pk).exists()
    ]


def followup_for(round_, submission):
    """The entry's follow-up answers to ``round_`` (an unsaved, empty row before any)."""
    found = FollowUpAnswers.objects.filter(round=round_, submission=submission).first()
    return found or FollowUpAnswers(round=round_, submission=submission)


def open_followups(submission):
    """The rounds asking ``submission`` for a follow-up, with their answers (entry page)."""
    rounds = Round.objects.filter(
        challenge_id=submission.challenge_id,
        followup_requested_at__isnull=False,
        followup_deadline__isnull=False,
    ).order_by("position", "id")
    return [r for r in rounds if entries_in_scope(r).filter(pk=submission.pk).exists()]


def released_feedback(submission):
    """The rounds whose released feedback ``submission``'s team can read (entry page)."""
    judged = Q(
        mode=RoundMode.SCREENING,
        id__in=ScreeningOutcome.objects.filter(submission=submission).values("round_id"),
    ) | Q(
        id__in=Review.objects.filter(
            submission=submission, state=ReviewState.SUBMITTED, is_calibration=False
        ).values("round_id")
    )
    return list(
        Round.objects.filter(
            judged, challenge_id=submission.challenge_id, feedback_released_at__isnull=False
        ).order_by("position", "id")
    )
