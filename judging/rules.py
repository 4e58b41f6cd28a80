"""Permission predicates about judging (the `rules` package)."""

import rules

from challenges.rules import is_challenge_manager

from .enums import JurorStatus, RoundMode, RoundStatus
from .models import Review
from .services.jurors import is_conflicted


@rules.predicate
def is_review_juror(user, review):
    """The juror the review is assigned to: active, confidentiality signed, not conflicted
    with the entry, in a round that has been opened (a draft round shows jurors nothing)."""

    if review is None or not user.is_authenticated:
        return False
    juror = review.juror
    if juror.user_id != user.pk or not juror.can_score:
        return False
    if review.round.status == RoundStatus.DRAFT:
        return False
    return not is_conflicted(juror=juror, submission=review.submission)


@rules.predicate
def manages_review_challenge(user, review):
    return review is not None and is_challenge_manager(user, review.round.challenge)


@rules.predicate
def is_assigned_juror(user, submission):
    """Assigned to the entry in an opened round, and not conflicted (for file downloads)."""

    if submission is None or not user.is_authenticated:
        return False
    review = (
        Review.objects.filter(
            submission=submission,
            juror__user=user,
            juror__status=JurorStatus.ACTIVE,
            round__status__in=[RoundStatus.OPEN, RoundStatus.LOCKED, RoundStatus.PUBLISHED],
        )
        .select_related("juror")
        .first()
    )
    return review is not None and not is_conflicted(juror=review.juror, submission=submission)


@rules.predicate
def is_screening_review(user, review):
    """The review is an assignment in a screening round (a verdict, not scores)."""
    return review is not None and review.round.mode == RoundMode.SCREENING


rules.add_perm("judging.view_submission", is_assigned_juror)
rules.add_perm("judging.score_review", is_review_juror)
rules.add_perm("judging.screen_review", is_review_juror & is_screening_review)
rules.add_perm("judging.manage_review", manages_review_challenge)
