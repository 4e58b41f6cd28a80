"""Permission predicates about entries (the `rules` package)."""

import rules
from django.utils import timezone

from challenges.rules import is_challenge_manager
from challenges.selectors import managed_by
from core.access import allowed

from .enums import MemberRole
from .models import TeamMembership
from .selectors import participants_of
from .services.deadlines import deadline_of

#: Where a loaded entry keeps its team's answer to "what is this user's role?".
_ROLES = "_team_roles"


def _role_in_entry(user, submission):
    """``user``'s role in the entry's team (``None``: not in it); the owner of an individual
    entry counts as a member. Asked once per loaded entry and user: the rules of one
    request (work on it, edit it) share the answer instead of a query each."""
    if submission.team_id is None:
        return MemberRole.MEMBER if submission.owner_id == user.pk else None
    known = submission.__dict__.setdefault(_ROLES, {})
    if user.pk not in known:
        known[user.pk] = (
            TeamMembership.objects.filter(team_id=submission.team_id, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return known[user.pk]


def _in_entry(user, submission, role=None):
    """The owner of an individual entry, or in its team (``role`` narrows it)."""
    if submission is None or not user.is_authenticated:
        return False
    found = _role_in_entry(user, submission)
    return found is not None and (role is None or found == role)


@rules.predicate
def is_entry_member(user, submission):
    """Anyone in the entry's team (members and mentors), or the owner of an individual entry."""
    return _in_entry(user, submission)


@rules.predicate
def manages_entry_challenge(user, submission):
    return submission is not None and is_challenge_manager(user, submission.challenge)


@rules.predicate
def is_juror_after_deadline(user, submission):
    """Jurors see files only after the deadline; the judging app defines who is assigned."""

    if submission is None or not user.is_authenticated:
        return False
    deadline = deadline_of(submission.challenge)
    if deadline is None or timezone.now() < deadline:
        return False
    # Asked through the registry (not user.has_perm, which says yes to every superuser).
    return allowed(user, "judging.view_submission", submission)


@rules.predicate
def is_team_member(user, team):
    """In the team, as a member or a mentor."""
    if team is None or not user.is_authenticated:
        return False
    return team.memberships.filter(user=user).exists()


@rules.predicate
def is_entry_editor(user, submission):
    """Members (not mentors) of the entry's team, or the owner of an individual entry."""
    return _in_entry(user, submission, role=MemberRole.MEMBER)


@rules.predicate
def is_team_lead(user, team):
    return team is not None and user.is_authenticated and team.lead_id == user.pk


@rules.predicate
def is_invitee(user, invitation):
    """Signed in with the address the team invitation was sent to."""
    if invitation is None or not user.is_authenticated:
        return False
    return (user.email or "").lower() == invitation.email.lower()


rules.add_perm("submissions.view_team", is_team_member)
rules.add_perm("submissions.answer_invitation", is_invitee)
rules.add_perm("submissions.lead_team", is_team_lead)
rules.add_perm("submissions.edit_entry", is_entry_editor)
rules.add_perm("submissions.work_on_entry", is_entry_member)
rules.add_perm("submissions.manage_entry", manages_entry_challenge)
rules.add_perm(
    "submissions.download_file",
    is_entry_member | manages_entry_challenge | is_juror_after_deadline,
)


@rules.predicate
def manages_exception_challenge(user, exception):
    return exception is not None and is_challenge_manager(user, exception.challenge)


# Staff of a challenge let a person in despite its person rules (and take it back).
rules.add_perm("submissions.grant_exception", is_challenge_manager)
rules.add_perm("submissions.revoke_exception", manages_exception_challenge)


@rules.predicate
def manages_participants_challenge(user, profile):
    """Staff of a challenge the person takes part in."""
    if profile is None or not user.is_authenticated:
        return False
    return participants_of(managed_by(user)).filter(pk=profile.pk).exists()


# Staff settle a district typed before the list existed, for their challenges' people.
rules.add_perm("submissions.settle_district", manages_participants_challenge)
