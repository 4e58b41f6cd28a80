"""Permission predicates about judging (the `rules` package)."""

import rules

from challenges.rules import is_challenge_manager
from core.access import allowed

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


@rules.predicate
def is_pairwise_judge(user, round_):
    """A judge of a pairwise round: an active juror of its challenge, confidentiality
    signed, in a round that has been opened (docs/judging.md, "Pairwise expo judging")."""
    from .services.pairwise import judge_of

    return round_ is not None and user.is_authenticated and judge_of(round_, user) is not None


rules.add_perm("judging.view_submission", is_assigned_juror)
rules.add_perm("judging.judge_pairwise", is_pairwise_judge)
rules.add_perm("judging.score_review", is_review_juror)
rules.add_perm("judging.screen_review", is_review_juror & is_screening_review)
rules.add_perm("judging.manage_review", manages_review_challenge)


def _followup_scope(followup):
    """Staff have asked for the round's follow-up, and the entry is in the round's scope."""
    from .selectors import entries_in_scope  # selectors import the models this module needs

    round_, submission = followup.round, followup.submission
    if round_.followup_deadline is None or submission.challenge_id != round_.challenge_id:
        return False
    if round_.followup_requested_at is None or not round_.followup_questions.exists():
        return False
    return entries_in_scope(round_).filter(pk=submission.pk).exists()


@rules.predicate
def is_followup_team(user, followup):
    """In the team of an entry that a round asks for a follow-up (members and mentors)."""
    if followup is None or not user.is_authenticated:
        return False
    return allowed(user, "submissions.work_on_entry", followup.submission) and _followup_scope(
        followup
    )


@rules.predicate
def is_followup_editor(user, followup):
    """May answer the follow-up: a member (not a mentor) of the entry's team."""
    return followup is not None and allowed(user, "submissions.edit_entry", followup.submission)


rules.add_perm("judging.view_followup", is_followup_team)
rules.add_perm("judging.answer_followup", is_followup_team & is_followup_editor)


# Feedback and appeals (docs/judging.md, "Feedback and appeals"). ``feedback`` is a
# ``services.feedback.EntryFeedback`` (a round and an entry); ``appeal`` an ``Appeal``.


@rules.predicate
def is_feedback_team(user, feedback):
    """In the entry's team (members and mentors), the round's feedback released, and the
    round judged the entry. Anyone else finds no feedback page (404)."""
    from .services.feedback import judged_in

    if feedback is None or not user.is_authenticated:
        return False
    round_, submission = feedback.round, feedback.submission
    if round_.feedback_released_at is None or submission.challenge_id != round_.challenge_id:
        return False
    return allowed(user, "submissions.work_on_entry", submission) and judged_in(round_, submission)


@rules.predicate
def is_feedback_editor(user, feedback):
    """May file the appeal: a member (not a mentor) of the entry's team."""
    return feedback is not None and allowed(user, "submissions.edit_entry", feedback.submission)


@rules.predicate
def manages_appeal_challenge(user, appeal):
    return appeal is not None and is_challenge_manager(user, appeal.round.challenge)


def appeal_exclusion(user, appeal):
    """Why ``user`` may not handle ``appeal`` although they manage the challenge (a
    translated sentence), or ``None``: a juror of the entry, a juror conflicted with it, or
    someone in its team."""
    from django.utils.translation import gettext as _

    from .models import Juror

    submission = appeal.submission
    juror = Juror.objects.filter(challenge_id=submission.challenge_id, user=user).first()
    if juror is not None:
        if Review.objects.filter(juror=juror, submission=submission).exists():
            return _("You are a juror of this entry; another staff member must handle the appeal.")
        if is_conflicted(juror=juror, submission=submission):
            return _(
                "You have declared a conflict of interest with this entry; another staff "
                "member must handle the appeal."
            )
    if allowed(user, "submissions.work_on_entry", submission):
        return _("You are in this entry's team; another staff member must handle the appeal.")
    return None


@rules.predicate
def is_impartial_staff(user, appeal):
    return appeal is not None and user.is_authenticated and appeal_exclusion(user, appeal) is None


rules.add_perm("judging.view_feedback", is_feedback_team)
rules.add_perm("judging.file_appeal", is_feedback_team & is_feedback_editor)
rules.add_perm("judging.view_appeal", manages_appeal_challenge)
rules.add_perm("judging.handle_appeal", manages_appeal_challenge & is_impartial_staff)
