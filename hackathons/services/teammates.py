"""Finding teammates: who is looking for a team, teams' open roles, requests both ways,
and the suggestions that rank people whose skills complement a team's.

Privacy: the finder shows a person's first name, skills, tags and idea — never contact
details, a birth date or age. Contact details are shared only once both sides agreed (a
request accepted), and for a person under 18 the guardian's contact is shared instead of
their own (``contact_for``). Joining goes through ``submissions.services.teams.join_team``,
so the team's size limit, eligibility and "one team per challenge" apply as everywhere.

Suggestion score (``suggestion_score``), documented here and tested on hand cases::

    needed = skills of the team's open roles - skills the members already have
    score  = 3 * |person's skills & needed| + 1 * |person's skills - team's skills - needed|

so a person who fills a role the team asked for counts three times one who merely brings
something new; skills the team already has add nothing. Ties: who registered first.
Free tags count as skills (lower-cased), so "flutter" on a role matches "Flutter" on a person.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require
from core.audit import record
from submissions.models import TeamMembership
from submissions.services.profiles import is_minor
from submissions.services.teams import join_team

from ..enums import HOLDS_PLACE, RequestState, Skill
from ..models import OpenRole, Registration, TeamRequest
from .errors import HackathonRefused

NEEDED_WEIGHT = 3
NEW_WEIGHT = 1


def clean_skills(values):
    known = set(Skill.values)
    return sorted({v for v in values or [] if v in known})


def skills_of(registration):
    return set(registration.skills or []) | set(registration.tag_list())


def suggestion_score(person, *, needed, have):
    """The score of a person with skills ``person`` for a team (see the module docstring)."""
    person, needed, have = set(person), set(needed), set(have)
    return NEEDED_WEIGHT * len(person & needed) + NEW_WEIGHT * len(person - have - needed)


def team_skills(team, event):
    """``(needed, have)`` for ``team`` at ``event``."""
    members = TeamMembership.objects.filter(team=team).values_list("user_id", flat=True)
    have = set()
    for registration in Registration.objects.filter(event=event, user_id__in=list(members)):
        have |= skills_of(registration)
    wanted = set()
    for role in team.open_roles.all():
        wanted |= {s.lower() if s not in Skill.values else s for s in role.skills}
    return wanted - have, have


def suggestions(team, event, *, limit=10):
    """People looking for a team, best complement first (score, then registration order)."""
    needed, have = team_skills(team, event)
    in_teams = TeamMembership.objects.filter(challenge=event.challenge_id).values("user_id")
    people = (
        Registration.objects.filter(event=event, looking_for_team=True, state__in=HOLDS_PLACE)
        .exclude(user_id__in=in_teams)
        .select_related("user__profile")
    )
    scored = [
        (suggestion_score(skills_of(r), needed=needed, have=have), r.registered_at, r.pk, r)
        for r in people
    ]
    scored.sort(key=lambda row: (-row[0], row[1], row[2]))
    return [(score, r) for score, _at, _pk, r in scored[:limit]]


def first_name(registration):
    profile = getattr(registration.user, "profile", None)
    name = (profile.full_name if profile else "") or registration.user.get_username()
    return name.split()[0]


def contact_for(registration):
    """What is shared once both sides agreed: the person's e-mail and Telegram, or — for a
    person under 18 — their guardian's name and contact instead."""
    profile = getattr(registration.user, "profile", None)
    if profile is not None and is_minor(profile):
        return _("Guardian: %(name)s, %(contact)s") % {
            "name": profile.guardian_name,
            "contact": profile.guardian_contact,
        }
    parts = [registration.user.email]
    if profile is not None and profile.telegram:
        parts.append(profile.telegram)
    return ", ".join(p for p in parts if p)


@transaction.atomic
def save_listing(*, registration, looking, skills, tags, idea, by):
    """Mark oneself looking for a team (or not), with skills, free tags and an idea.

    Only a person holding a place. Side effects: audit ``hackathons.listing.saved``.
    """
    require(by, "hackathons.own_registration", registration)
    if registration.state not in HOLDS_PLACE:
        raise HackathonRefused(_("Only people with a place can look for a team."))
    registration.looking_for_team = bool(looking)
    registration.skills = clean_skills(skills)
    registration.tags = ", ".join(t.strip() for t in (tags or "").split(",") if t.strip())[:200]
    registration.idea = (idea or "").strip()[:1000]
    registration.save(update_fields=["looking_for_team", "skills", "tags", "idea"])
    record(action="hackathons.listing.saved", obj=registration, by=by, looking=bool(looking))
    return registration


@transaction.atomic
def add_open_role(*, team, event, title, skills, by):
    """The team lead posts a role the team looks for. Side effects: audit entry."""
    require(by, "hackathons.lead_team", team)
    if team.challenge_id != event.challenge_id:
        raise HackathonRefused(_("This team is not in this hackathon."))
    title = (title or "").strip()
    if not title:
        raise HackathonRefused(_("Name the role."), field="title")
    role = OpenRole.objects.create(team=team, title=title[:120], skills=clean_skills(skills))
    record(action="hackathons.role.added", obj=team, by=by, title=role.title)
    return role


@transaction.atomic
def remove_open_role(*, role, by):
    require(by, "hackathons.lead_team", role.team)
    record(action="hackathons.role.removed", obj=role.team, by=by, title=role.title)
    role.delete()


def _create_request(*, team, registration, from_team, message, by):
    if registration.event.challenge_id != team.challenge_id:
        raise HackathonRefused(_("This team is not in this hackathon."))
    if registration.state not in HOLDS_PLACE:
        raise HackathonRefused(_("Only people with a place can join a team."))
    if TeamMembership.objects.filter(
        challenge=team.challenge_id, user=registration.user_id
    ).exists():
        raise HackathonRefused(_("This person is already in a team."))
    try:
        with transaction.atomic():
            request = TeamRequest.objects.create(
                team=team,
                registration=registration,
                from_team=from_team,
                message=(message or "").strip()[:500],
                created_by=by,
            )
    except IntegrityError as exc:
        raise HackathonRefused(_("A request is already waiting for an answer.")) from exc
    record(action="hackathons.request.sent", obj=team, by=by, registration=registration.pk)
    return request


@transaction.atomic
def invite_person(*, team, registration, by, message=""):
    """The team lead asks a person who is looking for a team to join."""
    require(by, "hackathons.lead_team", team)
    if not registration.looking_for_team:
        raise HackathonRefused(_("This person is not looking for a team."))
    return _create_request(
        team=team, registration=registration, from_team=True, message=message, by=by
    )


@transaction.atomic
def ask_to_join(*, team, registration, by, message=""):
    """A person with a place asks a team (one with open roles) to take them."""
    require(by, "hackathons.own_registration", registration)
    if not team.open_roles.exists():
        raise HackathonRefused(_("This team is not looking for anyone."))
    return _create_request(
        team=team, registration=registration, from_team=False, message=message, by=by
    )


@transaction.atomic
def answer_request(*, request, accept, by):
    """The side that did not send the request accepts (the person joins the team: size
    limit, eligibility and "one team" apply) or declines.

    Side effects: the request answered; on accept a team membership (audit
    ``submissions.team.joined``), the person no longer listed as looking; audit
    ``hackathons.request.answered``.
    """
    request = TeamRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    answerer = "hackathons.own_registration" if request.from_team else "hackathons.lead_team"
    target = request.registration if request.from_team else request.team
    require(by, answerer, target)
    if request.state != RequestState.PENDING:
        raise HackathonRefused(_("This request has already been answered."))
    if accept:
        join_team(team=request.team, user=request.registration.user, how="hackathon")
        request.registration.looking_for_team = False
        request.registration.save(update_fields=["looking_for_team"])
        TeamRequest.objects.filter(
            registration=request.registration, state=RequestState.PENDING
        ).exclude(pk=request.pk).update(state=RequestState.DECLINED, answered_at=timezone.now())
    request.state = RequestState.ACCEPTED if accept else RequestState.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["state", "answered_at"])
    record(action="hackathons.request.answered", obj=request.team, by=by, accepted=bool(accept))
    return request
