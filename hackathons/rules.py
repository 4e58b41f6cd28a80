"""Who may do what at a hackathon (the `rules` package).

Staff of the challenge set the event up, choose who gets a place and check people in at
the door; the event's volunteers (named by staff) may only check people in. The teammate
finder is for people who hold a place (offered or confirmed) and for staff; a person's own
registration is theirs alone.
"""

import rules

from challenges.rules import is_challenge_manager
from submissions.rules import is_team_lead

from .enums import HOLDS_PLACE


@rules.predicate
def manages_event(user, event):
    return event is not None and is_challenge_manager(user, event.challenge)


@rules.predicate
def is_volunteer(user, event):
    if event is None or not user.is_authenticated:
        return False
    return event.volunteers.filter(pk=user.pk).exists()


@rules.predicate
def holds_place_at(user, event):
    if event is None or not user.is_authenticated:
        return False
    return event.registrations.filter(user=user, state__in=HOLDS_PLACE).exists()


@rules.predicate
def owns_registration(user, registration):
    return registration is not None and user.is_authenticated and registration.user_id == user.pk


@rules.predicate
def leads_request_team(user, request):
    return request is not None and is_team_lead(user, request.team)


@rules.predicate
def is_request_person(user, request):
    return request is not None and owns_registration(user, request.registration)


rules.add_perm("hackathons.manage_event", manages_event)
# At the door: the challenge's staff and the event's check-in volunteers (nothing else).
rules.add_perm("hackathons.check_in", manages_event | is_volunteer)
rules.add_perm("hackathons.find_teammates", holds_place_at | manages_event)
rules.add_perm("hackathons.own_registration", owns_registration)
rules.add_perm("hackathons.lead_team", is_team_lead)
# A request is answered by the side that did not send it.
rules.add_perm("hackathons.see_request", leads_request_team | is_request_person)
