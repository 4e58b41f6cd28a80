"""Who receives a certificate under each issuing rule (plain reads, a fixed number of queries)."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import translation

from submissions.enums import IN_COMPETITION, MemberRole, SubmissionStatus
from submissions.models import Submission, TeamMembership

from ..enums import IssueRule


@dataclass(frozen=True)
class Recipient:
    user: object
    name: str
    language: str
    team_name: str = ""
    project_title: str = ""
    track_name: str = ""
    place: int | None = None


def display_name(user):
    profile = getattr(user, "profile", None)
    if profile is not None and profile.full_name:
        return profile.full_name
    return user.get_full_name() or user.get_username()


def preferred_language(user, default):
    profile = getattr(user, "profile", None)
    return (profile.preferred_language if profile is not None else "") or default


def _entries(challenge, statuses, role):
    memberships = TeamMembership.objects.filter(role=role).select_related("user__profile")
    return (
        Submission.objects.filter(challenge=challenge, status__in=statuses)
        .select_related("team", "track", "owner__profile")
        .prefetch_related(Prefetch("team__memberships", queryset=memberships))
        .order_by("pk")
    )


def _from_entries(challenge, statuses, *, role, default_language):
    people = {}
    for entry in _entries(challenge, statuses, role):
        track = ""
        if entry.track is not None:
            with translation.override(default_language):
                track = str(entry.track)
        if entry.team is not None:
            users = [m.user for m in entry.team.memberships.all()]
            team_name = entry.team.name
        else:
            users = [entry.owner] if role == MemberRole.MEMBER else []
            team_name = ""
        for user in users:
            people.setdefault(
                user.pk,
                Recipient(
                    user=user,
                    name=display_name(user),
                    language=preferred_language(user, default_language),
                    team_name=team_name,
                    project_title=entry.title,
                    track_name=track,
                ),
            )
    return list(people.values())


def _jurors(challenge, default_language):
    # Imported here: judging builds on submissions, and certificates only needs this one read.
    from judging.selectors import jurors_who_finished

    users = jurors_who_finished(challenge)
    if hasattr(users, "select_related"):
        users = users.select_related("profile")
    return [
        Recipient(user=u, name=display_name(u), language=preferred_language(u, default_language))
        for u in users
    ]


def recipients_for(*, challenge, rule, default_language="uz"):
    """The people ``rule`` selects in ``challenge``, one Recipient per person."""
    rule = IssueRule(rule)
    if rule == IssueRule.PARTICIPANTS:
        return _from_entries(
            challenge, IN_COMPETITION, role=MemberRole.MEMBER, default_language=default_language
        )
    if rule == IssueRule.FINALISTS:
        return _from_entries(
            challenge,
            [SubmissionStatus.FINALIST, SubmissionStatus.WINNER],
            role=MemberRole.MEMBER,
            default_language=default_language,
        )
    if rule == IssueRule.WINNERS:
        return _from_entries(
            challenge,
            [SubmissionStatus.WINNER],
            role=MemberRole.MEMBER,
            default_language=default_language,
        )
    if rule == IssueRule.MENTORS:
        return _from_entries(
            challenge, IN_COMPETITION, role=MemberRole.MENTOR, default_language=default_language
        )
    return _jurors(challenge, default_language)
