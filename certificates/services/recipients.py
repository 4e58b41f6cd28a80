"""Who receives a certificate under each issuing rule (plain reads, a fixed number of queries)."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import translation

from hackathons.selectors import certificate_attendees
from incubation.selectors import graduated_entries
from judging.selectors import jurors_who_finished, winner_places
from submissions.enums import IN_COMPETITION, MemberRole, SubmissionStatus
from submissions.models import StatusChange, Submission, TeamMembership

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


def _entries(entries, role):
    memberships = TeamMembership.objects.filter(role=role).select_related("user__profile")
    return (
        entries.select_related("team", "track", "owner__profile")
        .prefetch_related(Prefetch("team__memberships", queryset=memberships))
        .order_by("pk")
    )


def _from_entries(entries, *, role, default_language, places=None):
    places = places or {}
    people = {}
    for entry in _entries(entries, role):
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
                    place=places.get(entry.pk),
                ),
            )
    return list(people.values())


def _jurors(challenge, default_language):
    # Imported here: judging builds on submissions, and certificates only needs this one read.

    users = jurors_who_finished(challenge)
    if hasattr(users, "select_related"):
        users = users.select_related("profile")
    return [
        Recipient(user=u, name=display_name(u), language=preferred_language(u, default_language))
        for u in users
    ]


def winning_entries(challenge):
    """Entries that won: status "winner", or "incubated" after having been a winner."""
    won = StatusChange.objects.filter(to_status=SubmissionStatus.WINNER).values("submission_id")
    return Submission.objects.filter(challenge=challenge).filter(
        Q(status=SubmissionStatus.WINNER) | Q(status=SubmissionStatus.INCUBATED, pk__in=won)
    )


def _winners(challenge, default_language):
    # Imported here: judging builds on submissions, and certificates only needs this read.

    entries = winning_entries(challenge)
    places = winner_places(challenge, entries.values_list("pk", flat=True))
    return _from_entries(
        entries, role=MemberRole.MEMBER, default_language=default_language, places=places
    )


def _graduates(challenge, default_language):

    entries = Submission.objects.filter(pk__in=graduated_entries(challenge))
    return _from_entries(entries, role=MemberRole.MEMBER, default_language=default_language)


def recipients_for(*, challenge, rule, default_language="uz"):
    """The people ``rule`` selects in ``challenge``, one Recipient per person.

    Winners carry their place (see ``judging.selectors.winner_places``); graduates are the
    members of the challenge's incubated projects that reached a "graduated" stage.
    """
    rule = IssueRule(rule)
    entries = Submission.objects.filter(challenge=challenge)
    if rule == IssueRule.PARTICIPANTS:
        people = _from_entries(
            entries.filter(status__in=IN_COMPETITION),
            role=MemberRole.MEMBER,
            default_language=default_language,
        )
        # A hackathon may give participation certificates only to people checked in.
        attended = certificate_attendees(challenge)
        if attended is not None:
            people = [p for p in people if p.user.pk in attended]
        return people
    if rule == IssueRule.FINALISTS:
        return _from_entries(
            entries.filter(status__in=[SubmissionStatus.FINALIST, SubmissionStatus.WINNER]),
            role=MemberRole.MEMBER,
            default_language=default_language,
        )
    if rule == IssueRule.WINNERS:
        return _winners(challenge, default_language)
    if rule == IssueRule.MENTORS:
        return _from_entries(
            entries.filter(status__in=IN_COMPETITION),
            role=MemberRole.MENTOR,
            default_language=default_language,
        )
    if rule == IssueRule.GRADUATES:
        return _graduates(challenge, default_language)
    return _jurors(challenge, default_language)
