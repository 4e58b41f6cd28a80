"""Reused reads about participants, teams and entries."""

from django.db.models import Case, CharField, Count, F, Prefetch, Q, Value, When
from django.utils import timezone

from challenges.selectors import managed_by
from core.access import obtain

from .enums import FileStatus, MemberRole, SubmissionStatus
from .models import Invitation, Profile, Submission, SubmissionFile, TeamMembership


def entries_of(user):
    """Entries ``user`` may open as a participant: their team's or their own."""
    return Submission.objects.filter(
        Q(team__memberships__user=user) | Q(team__isnull=True, owner=user)
    )


def entry_for(user, pk):
    """One entry of ``user``'s, with what its page needs; 404 for anyone else's."""
    return obtain(
        user,
        Submission.objects.select_related(
            "challenge", "team", "track", "current_version", "owner"
        ).prefetch_related(
            Prefetch(
                "files",
                queryset=SubmissionFile.objects.filter(removed_at__isnull=True).exclude(
                    status=FileStatus.REJECTED
                ),
                to_attr="active_files",
            ),
            "challenge__tracks",
            "challenge__phases",
            "status_changes",
        ),
        see="submissions.work_on_entry",
        pk=pk,
    )


def entry_for_files(user, pk):
    """``entry_for`` with only what the upload endpoints need (slot, part, confirm): the
    challenge and its phases (is it open?); same rule, same 404. The rules ask the team's
    memberships by the team's id, so the team itself is not loaded."""
    return obtain(
        user,
        Submission.objects.select_related("challenge").prefetch_related("challenge__phases"),
        see="submissions.work_on_entry",
        pk=pk,
    )


def memberships_of(user):
    return (
        TeamMembership.objects.filter(user=user)
        .select_related("team__lead", "challenge")
        .annotate(size=Count("team__memberships"))
        .order_by("-joined_at")
    )


def dashboard_for(user):
    """Everything the participant dashboard shows, in a fixed number of queries."""
    memberships = list(memberships_of(user))
    entries = list(
        entries_of(user)
        .select_related("challenge", "team", "track")
        .prefetch_related("challenge__phases")
        .order_by("-updated_at")
    )
    invitations = list(
        Invitation.objects.filter(
            email__iexact=user.email, accepted_at__isnull=True
        ).select_related("team__challenge", "invited_by")
    )
    return {"memberships": memberships, "entries": entries, "invitations": invitations}


def history_of(submission, versions):
    """The entry's life, newest first: each submitted version (a resubmission is a new
    version, not a status change) and each decision about it, as ``(at, version, change)``
    with one of the two set. ``versions`` are the entry's, already fetched."""
    events = [(v.created_at, v, None) for v in versions]
    events += [
        (c.at, None, c)
        for c in submission.status_changes.all()
        # "submitted" is what each version already says.
        if c.to_status != SubmissionStatus.SUBMITTED
    ]
    return sorted(events, key=lambda event: event[0], reverse=True)


# --- who takes part, counted (never listed) ---------------------------------------------
def participants_of(challenges):
    """The profiles of the people taking part in ``challenges`` (a queryset): the owners
    of entries and the members of teams, not their mentors."""
    members = TeamMembership.objects.filter(
        challenge__in=challenges, role=MemberRole.MEMBER
    ).values("user_id")
    owners = Submission.objects.filter(challenge__in=challenges).values("owner_id")
    return Profile.objects.filter(Q(user_id__in=members) | Q(user_id__in=owners))


#: Age groups as ``(key, lower bound)``, youngest first; a person is in the last group
#: whose lower bound their age reaches. "" is for a profile without a date of birth.
AGE_GROUPS = (
    ("under-14", 0),
    ("14-17", 14),
    ("18-24", 18),
    ("25-30", 25),
    ("31-plus", 31),
)


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year - years, day=28)


def age_group(on=None):
    """An expression: the age group (a key of :data:`AGE_GROUPS`) of a profile on ``on``."""
    on = on or timezone.localdate()
    whens = [When(birth_date__isnull=True, then=Value(""))]
    # Oldest first: born on or before the day they turned ``lower``.
    for key, lower in reversed(AGE_GROUPS[1:]):
        whens.append(When(birth_date__lte=_years_before(on, lower), then=Value(key)))
    return Case(*whens, default=Value(AGE_GROUPS[0][0]), output_field=CharField())


#: What each dimension counts by: the stored code, never a name or an id of a person.
DIMENSIONS = {
    "region": F("region__code"),
    "district": F("district__code"),
    "gender": F("gender"),
    "disability": F("disability"),
}


def profile_counts(profiles, *dimensions, on=None):
    """How many of ``profiles`` (a queryset) fall in each combination of ``dimensions``
    (any of ``region``, ``district``, ``gender``, ``age_group``, ``disability``), in one
    query: a list of ``{dimension: code, ..., "count": n}``, in code order. Codes are
    the region's ISO code, the district's code, the stored choice; "" means not given.

    Counts only, so this is how the self-declared answers (disability above all) reach
    any statistics: no page or export lists people by them. Suppressing small cells is
    for whoever publishes the numbers.
    """
    unknown = set(dimensions) - {*DIMENSIONS, "age_group"}
    if unknown:
        raise ValueError(f"Not a profile dimension: {sorted(unknown)}")
    keys = {
        name: (age_group(on) if name == "age_group" else DIMENSIONS[name]) for name in dimensions
    }
    aliased = {f"_{name}": expression for name, expression in keys.items()}
    rows = (
        profiles.order_by()
        .annotate(**aliased)
        .values(*aliased)
        .annotate(count=Count("pk", distinct=True))
        # "Not given" first on every database (PostgreSQL sorts NULL last, SQLite first).
        .order_by(*(F(name).asc(nulls_first=True) for name in aliased))
    )
    return [
        {**{name: row[f"_{name}"] or "" for name in dimensions}, "count": row["count"]}
        for row in rows
    ]


def unmatched_districts(user):
    """The participants of the challenges ``user`` manages whose district, typed before
    the list existed, named no district of their region; for staff to settle."""
    return (
        participants_of(managed_by(user))
        .filter(district__isnull=True)
        .exclude(district_typed="")
        .select_related("region", "user")
        .order_by("region__name", "district_typed", "pk")
    )
