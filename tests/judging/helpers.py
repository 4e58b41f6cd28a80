"""Builders for judging tests: a challenge with entries, a round with criteria, jurors."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from judging.enums import JurorStatus, ReviewState, RoundStatus
from judging.models import Criterion, Juror, Review, Round, Score
from submissions.models import Submission
from tests.factories import (
    ChallengeFactory,
    SubmissionFactory,
    TrackFactory,
    UserFactory,
)


def make_round(
    challenge=None, *, status=RoundStatus.OPEN, k=2, method="mean", criteria=None, **extra
):
    challenge = challenge or ChallengeFactory()
    now = timezone.now()
    round_ = Round.objects.create(
        challenge=challenge,
        name="Saralash",
        name_en="Shortlist",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        reviews_per_entry=k,
        method=method,
        status=status,
        **extra,
    )
    for position, spec in enumerate(
        criteria
        or [
            {"name": "Impact", "weight": 2, "scale_min": 1, "scale_max": 10, "step": 1},
            {"name": "Feasibility", "weight": 1, "scale_min": 0, "scale_max": 5, "step": "0.5"},
        ]
    ):
        Criterion.objects.create(
            round=round_,
            position=position,
            **{k: Decimal(str(v)) if k != "name" else v for k, v in spec.items()},
        )
    return round_


def make_entries(challenge, n, *, track=None, status="eligible"):
    track = track or TrackFactory(challenge=challenge)
    entries = []
    now = timezone.now()
    for i in range(n):
        entries.append(
            SubmissionFactory(
                challenge=challenge,
                track=track,
                status=status,
                submitted_at=now - timedelta(minutes=n - i),
            )
        )
    return entries


def make_juror(challenge, user=None, **extra):
    user = user or UserFactory()
    return Juror.objects.create(
        challenge=challenge,
        email=user.email,
        user=user,
        status=JurorStatus.ACTIVE,
        confidentiality_signed_at=timezone.now(),
        accepted_at=timezone.now(),
        **extra,
    )


def assign(round_, juror, entries, key_start=1):
    return [
        Review.objects.create(round=round_, juror=juror, submission=e, queue_key=key_start + i)
        for i, e in enumerate(entries)
    ]


def submit_scores(review, values, comment="ok"):
    """Store ``values`` (one per criterion, in order) as a submitted review, bypassing the form."""
    for criterion, value in zip(review.round.criteria.all(), values, strict=True):
        Score.objects.update_or_create(
            review=review,
            criterion=criterion,
            defaults={"value": Decimal(str(value)), "comment": comment},
        )
    review.state = ReviewState.SUBMITTED
    review.opened_at = timezone.now() - timedelta(minutes=30)
    review.submitted_at = timezone.now()
    review.save()
    return review


def entry_ids(rows):
    return [r.entry.id for r in rows]


__all__ = ["Submission", "assign", "make_entries", "make_juror", "make_round", "submit_scores"]


def bulk_scored(round_, n, *, jurors=2, status="eligible"):
    """``n`` entries of ``round_``'s challenge at once (``Entry 0000``…), each scored by
    each of ``jurors`` jurors (submitted reviews), for tests of pages at a larger size."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    challenge = round_.challenge
    track = TrackFactory(challenge=challenge)
    tag = UserFactory().pk
    owners = User.objects.bulk_create(
        User(username=f"b{tag}-{i}", email=f"b{tag}-{i}@example.org") for i in range(n)
    )
    now = timezone.now()
    entries = Submission.objects.bulk_create(
        Submission(
            challenge=challenge,
            owner=owner,
            track=track,
            title=f"Entry {i:04d}",
            status=status,
            submitted_at=now - timedelta(minutes=n - i),
        )
        for i, owner in enumerate(owners)
    )
    panel = [make_juror(challenge) for _ in range(jurors)]
    reviews = Review.objects.bulk_create(
        Review(
            round=round_,
            juror=juror,
            submission=entry,
            queue_key=i,
            state=ReviewState.SUBMITTED,
            opened_at=now - timedelta(hours=1),
            submitted_at=now,
            overall_comment="ok",
        )
        for i, entry in enumerate(entries)
        for juror in panel
    )
    criteria = list(round_.criteria.all())
    Score.objects.bulk_create(
        Score(
            review=review,
            criterion=criterion,
            value=criterion.scale_min + (i % int(criterion.scale_max - criterion.scale_min)),
            comment="ok",
        )
        for i, review in enumerate(reviews)
        for criterion in criteria
    )
    return entries, panel
