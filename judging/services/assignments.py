"""Putting the assignment plan into the database, and staff's manual changes."""

import random

from django.db import transaction
from django.utils.translation import gettext as _

from core.access import require
from core.audit import record
from core.i18n import every_language
from notifications import events
from notifications.services import notify

from ..enums import ReviewState, RoundStatus
from ..models import Review
from ..selectors import entries_in_scope, scoring_jurors
from . import JudgingError
from .assignment import EntryNode, JurorNode, plan_assignment
from .jurors import conflicted_pairs, is_conflicted


def _queue_key(rng):
    return rng.randrange(1, 2**31 - 1)


@transaction.atomic
def auto_assign(*, round_, by, seed=None):
    """Give every in-scope entry ``k`` jurors among the challenge's active jurors.

    Keeps started and submitted reviews; unstarted ones may move to balance loads (so a
    re-run after new jurors joined spreads the work to them). Calibration anchors are given
    to every juror. Side effects: reviews created/removed, a ``judging.juror_assigned``
    notification to jurors with new work, audit ``judging.round.assigned``.
    Returns the plan (with ``short`` entries that lack enough unconflicted jurors).
    """

    require(by, "challenges.manage_challenge", round_.challenge)
    if round_.status in (RoundStatus.LOCKED, RoundStatus.PUBLISHED):
        raise JudgingError(_("A locked round cannot be reassigned."))
    rng = random.Random(seed)  # noqa: S311 -- shuffling for fairness, not secrecy
    jurors = list(scoring_jurors(round_.challenge_id).prefetch_related("expertise"))
    if not jurors:
        raise JudgingError(_("No juror has accepted an invitation to this challenge yet."))
    anchors = set(round_.calibration_entries.values_list("id", flat=True))
    scope = entries_in_scope(round_).exclude(id__in=anchors)
    if round_.is_screening:
        # A settled entry needs no more screeners; its reviews are left as they are.
        scope = scope.exclude(screening_outcomes__round=round_)
    entries = [EntryNode(id=e, track_id=t) for e, t in scope.values_list("id", "track_id")]
    reviews = Review.objects.filter(round=round_, is_calibration=False)
    if round_.is_screening:
        reviews = reviews.filter(submission__in=scope)
    existing = list(reviews.values_list("submission_id", "juror_id", "state", "opened_at"))
    blocked = conflicted_pairs(jurors=jurors, entries=scope)
    plan = plan_assignment(
        entries=entries,
        jurors=[
            JurorNode(id=j.id, expertise=frozenset(t.id for t in j.expertise.all())) for j in jurors
        ],
        k=round_.reviews_per_entry,
        conflicts=blocked,
        existing=[(e, j) for e, j, _s, _o in existing],
        movable=[(e, j) for e, j, s, o in existing if s == ReviewState.ASSIGNED and o is None],
        seed=rng.randrange(2**31),
    )
    for entry_id, juror_id in plan.remove:
        Review.objects.filter(
            round=round_, submission_id=entry_id, juror_id=juror_id, state=ReviewState.ASSIGNED
        ).delete()
    Review.objects.bulk_create(
        [
            Review(round=round_, juror_id=j, submission_id=e, queue_key=_queue_key(rng))
            for e, j in plan.add
        ],
        batch_size=1000,
    )
    if anchors:
        have = set(
            Review.objects.filter(round=round_, is_calibration=True).values_list(
                "submission_id", "juror_id"
            )
        )
        anchor_blocked = conflicted_pairs(jurors=jurors, entries=round_.calibration_entries.all())
        Review.objects.bulk_create(
            [
                Review(
                    round=round_,
                    juror=j,
                    submission_id=a,
                    is_calibration=True,
                    queue_key=_queue_key(rng),
                )
                for j in jurors
                for a in anchors
                if (a, j.id) not in have and (a, j.id) not in anchor_blocked
            ]
        )
    touched = {j for _e, j in plan.add}
    users = [j.user for j in jurors if j.id in touched and j.user_id]
    if users:
        notify(
            event=events.JUROR_ASSIGNED,
            recipients=users,
            context={
                "round": every_language(lambda: round_.display_name),
                "challenge": every_language(lambda: round_.challenge.display_title),
            },
            obj=round_,
            by=by,
        )
    record(
        action="judging.round.assigned",
        obj=round_,
        by=by,
        added=len(plan.add),
        removed=len(plan.remove),
        short=len(plan.short),
    )
    return plan


@transaction.atomic
def add_assignment(*, round_, juror, submission, by):
    """Assign one entry to one juror by hand; refuses conflicts and other challenges' rows.

    Side effects: a review, a ``judging.juror_assigned`` notification, audit
    ``judging.review.assigned``.
    """
    return add_assignments(round_=round_, pairs=[(submission, juror)], by=by)[0]


@transaction.atomic
def add_assignments(*, round_, pairs, by):
    """Assign each ``(submission, juror)`` of ``pairs``: all of them, or none.

    Each pair is checked as by hand: the juror an active juror of this challenge, the entry
    in the round's scope, no conflict declared; a pair that already has a review keeps it
    as it is (started and finished reviews are never touched). A locked round is the
    caller's to refuse (an appeal's re-review is assigned in one). Returns the reviews, in
    the order of ``pairs``.
    Side effects: the new reviews, one ``judging.juror_assigned`` notification per juror
    with new work, audit ``judging.review.assigned`` per new review.
    """

    require(by, "challenges.manage_challenge", round_.challenge)
    scope = set(
        entries_in_scope(round_)
        .filter(pk__in=[s.pk for s, _j in pairs])
        .values_list("pk", flat=True)
    )
    reviews, added = [], []
    rng = random.SystemRandom()
    for submission, juror in pairs:
        if juror.challenge_id != round_.challenge_id or not juror.can_score:
            raise JudgingError(_("This juror is not an active juror of this challenge."))
        if submission.pk not in scope:
            raise JudgingError(_("This entry is not in the round's scope."))
        if is_conflicted(juror=juror, submission=submission):
            raise JudgingError(_("This juror has declared a conflict of interest with this entry."))
        review, created = Review.objects.get_or_create(
            round=round_,
            juror=juror,
            submission=submission,
            defaults={"queue_key": _queue_key(rng)},
        )
        reviews.append(review)
        if created:
            added.append(review)
            record(action="judging.review.assigned", obj=review, by=by)
    users = {r.juror.user_id: r.juror.user for r in added if r.juror.user_id}
    if users:
        notify(
            event=events.JUROR_ASSIGNED,
            recipients=list(users.values()),
            context={
                "round": every_language(lambda: round_.display_name),
                "challenge": every_language(lambda: round_.challenge.display_title),
            },
            obj=round_,
            by=by,
        )
    return reviews


@transaction.atomic
def remove_assignment(*, review, by):
    """Remove an assignment that has no submitted review. Side effects: audit."""
    require(by, "challenges.manage_challenge", review.round.challenge)
    if review.state == ReviewState.SUBMITTED:
        raise JudgingError(_("A submitted review cannot be removed; reopen it first."))
    record(
        action="judging.review.unassigned",
        obj=review,
        by=by,
        juror=review.juror_id,
        entry=review.submission_id,
    )
    review.delete()


@transaction.atomic
def remind_jurors(*, round_, jurors, by):
    """Send ``judging.juror_reminded`` to the given jurors. Side effects: audit."""
    require(by, "challenges.manage_challenge", round_.challenge)
    users = [j.user for j in jurors if j.user_id]
    if users:
        notify(
            event=events.JUROR_REMINDED,
            recipients=users,
            context={
                "round": every_language(lambda: round_.display_name),
                "closes_at": round_.closes_at.isoformat(),
            },
            obj=round_,
            by=by,
        )
    record(action="judging.round.reminded", obj=round_, by=by, jurors=[j.id for j in jurors])
    return len(users)
