"""Reads of the hackathon pages (querysets with their joins already right)."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from challenges.enums import ChallengeKind, FormStage
from challenges.models import EntryField, Region
from challenges.selectors import managed_by
from submissions.models import Profile, Team
from submissions.selectors import profile_counts

from .enums import HOLDS_PLACE, RegistrationState
from .models import Event, Registration, TeamRequest


def event_by_slug(slug):
    """The hackathon of the challenge ``slug`` (404 for another kind or no event)."""
    return get_object_or_404(
        Event.objects.select_related("challenge").prefetch_related("challenge__phases"),
        challenge__slug=slug,
        challenge__kind=ChallengeKind.HACKATHON,
    )


def application_questions(event):
    """The questions a person registering for ``event`` is asked, in form order: the
    challenge's "application" questions, not archived (track limits do not apply: the
    track is chosen on the same form)."""
    return list(
        EntryField.objects.filter(
            challenge_id=event.challenge_id, stage=FormStage.APPLICATION, archived=False
        ).order_by("sort_order", "id")
    )


def events_managed_by(user):
    return Event.objects.filter(challenge__in=managed_by(user)).select_related("challenge")


def registration_of(event, user):
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=user)
        .select_related("track", "check_in")
        .first()
    )


def staff_registrations(event, *, state=None):
    rows = event.registrations.select_related("user__profile__region", "track", "check_in")
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("registered_at", "pk")


def balance(event):
    """Counts by gender and by region of the people holding a place and of the waitlist,
    for staff choosing whom to accept: ``{"gender": [...], "region": [...]}``, each row
    ``{"code", "label", "places", "waiting"}``."""
    holding = Profile.objects.filter(
        user__hackathon_registrations__event=event,
        user__hackathon_registrations__state__in=HOLDS_PLACE,
    )
    waiting = Profile.objects.filter(
        user__hackathon_registrations__event=event,
        user__hackathon_registrations__state=RegistrationState.WAITLISTED,
    )
    regions = {region.code: str(region) for region in Region.objects.all()}  # reader's language
    from challenges.enums import Gender

    labels = {"gender": dict(Gender.choices), "region": regions}
    table = {}
    for dimension in ("gender", "region"):
        rows = {}
        for key, queryset in (("places", holding), ("waiting", waiting)):
            for row in profile_counts(queryset, dimension):
                code = row[dimension]
                entry = rows.setdefault(
                    code,
                    {
                        "code": code,
                        "label": str(labels[dimension].get(code, code)),
                        "places": 0,
                        "waiting": 0,
                    },
                )
                entry[key] = row["count"]
        table[dimension] = sorted(rows.values(), key=lambda r: str(r["label"]))
    return table


def looking_for_team(event):
    return (
        Registration.objects.filter(event=event, looking_for_team=True, state__in=HOLDS_PLACE)
        .select_related("user__profile")
        .order_by("registered_at", "pk")
    )


def teams_with_roles(event):
    return (
        Team.objects.filter(challenge=event.challenge_id, open_roles__isnull=False)
        .distinct()
        .prefetch_related("open_roles", "memberships")
        .order_by("name")
    )


def led_team(event, user):
    if not user.is_authenticated:
        return None
    return Team.objects.filter(challenge=event.challenge_id, lead=user).first()


def requests_for(event, user, registration, team):
    """The requests ``user`` is a side of: to/from their registration, to/from their team."""
    where = Q(pk__in=[])
    if registration is not None:
        where |= Q(registration=registration)
    if team is not None:
        where |= Q(team=team)
    return (
        TeamRequest.objects.filter(where, registration__event=event)
        .select_related("team", "registration__user__profile")
        .order_by("-created_at")
    )


def search_people(event, query, *, limit=20):
    """People holding a place whose name matches ``query`` (the check-in desk's search)."""
    query = (query or "").strip()
    if len(query) < 2:
        return Registration.objects.none()
    return (
        event.registrations.filter(state__in=HOLDS_PLACE)
        .filter(
            Q(user__profile__full_name__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
        )
        .select_related("user__profile", "check_in", "track")
        .order_by("user__profile__full_name", "pk")[:limit]
    )


def certificate_attendees(challenge):
    """The ids of the people checked in at ``challenge``'s hackathon when its participation
    certificates need a check-in; ``None`` when they do not (or it is no hackathon)."""
    event = Event.objects.filter(challenge=challenge, certificates_need_checkin=True).first()
    if event is None:
        return None
    return set(event.registrations.filter(check_in__isnull=False).values_list("user_id", flat=True))
