"""Permission predicates about entries (the `rules` package)."""

import rules
from django.utils import timezone

from challenges.rules import is_challenge_manager


@rules.predicate
def is_entry_member(user, submission):
    """Anyone in the entry's team (members and mentors), or the owner of an individual entry."""
    if submission is None or not user.is_authenticated:
        return False
    if submission.team_id is None:
        return submission.owner_id == user.pk
    return submission.team.memberships.filter(user=user).exists()


@rules.predicate
def manages_entry_challenge(user, submission):
    return submission is not None and is_challenge_manager(user, submission.challenge)


@rules.predicate
def is_juror_after_deadline(user, submission):
    """Jurors see files only after the deadline; the judging app defines who is assigned."""
    from .services.deadlines import deadline_of

    if submission is None or not user.is_authenticated:
        return False
    deadline = deadline_of(submission.challenge)
    if deadline is None or timezone.now() < deadline:
        return False
    return user.has_perm("judging.view_submission", submission)


rules.add_perm("submissions.view_entry", is_entry_member | manages_entry_challenge)
rules.add_perm(
    "submissions.download_file",
    is_entry_member | manages_entry_challenge | is_juror_after_deadline,
)
