"""The hackathon part of the URL-matrix world (tests/matrix_world.py).

Hackathon **H** (``manager``'s): ``owner`` holds a confirmed place and leads team H with an
open role; ``other_team`` holds a place and is looking for a team, asked by team H to
join (a pending request); ``member`` is on the waitlist.
"""

from hackathons.models import OpenRole, Registration, TeamRequest
from tests.factories import ChallengeFactory, EventFactory, TeamFactory, with_phases


def build(world):
    u, o = world.users, world.objects
    h = with_phases(ChallengeFactory(title="Hackathon H", slug="hackathon-h", kind="hackathon"))
    h.managers.add(u["manager"])
    event = EventFactory(challenge=h, capacity=2)
    from django.utils import timezone

    now = timezone.now()
    Registration.objects.create(event=event, user=u["owner"], state="confirmed", registered_at=now)
    other = Registration.objects.create(
        event=event,
        user=u["other_team"],
        state="confirmed",
        registered_at=now,
        looking_for_team=True,
        skills=["design"],
    )
    Registration.objects.create(
        event=event, user=u["member"], state="waitlisted", registered_at=now
    )
    team = TeamFactory(challenge=h, lead=u["owner"], name="Team H")
    role = OpenRole.objects.create(team=team, title="Designer", skills=["design"])
    request = TeamRequest.objects.create(
        team=team, registration=other, from_team=True, created_by=u["owner"]
    )
    o.update(h=h, event_h=event, team_h=team, role_h=role, reg_other=other, request_h=request)
