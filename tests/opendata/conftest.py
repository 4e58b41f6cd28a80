"""Open data is published for public challenges only: the API tests' fixtures make them;
``world`` is a public challenge with known people (also used by the browser test)."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from judging.enums import RoundStatus
from tests.api.conftest import challenge_index, page_for, public_challenge  # noqa: F401
from tests.factories import (
    ProfileFactory,
    PublicationFactory,
    RoundFactory,
    SubmissionFactory,
    TeamFactory,
    TeamMembershipFactory,
    TrackFactory,
    UserFactory,
)


def _person(*, gender, region="UZ-TK", consent=True, birth_date=date(2003, 3, 1)):
    user = UserFactory()
    fields = {"gender": gender, "birth_date": birth_date, "consent_publicity": consent}
    if region is None:
        fields["region"] = None
    else:
        from challenges.models import Region
        from challenges.services.regions import ensure_regions

        if not Region.objects.filter(code=region).exists():
            ensure_regions()  # a transactional test starts from a flushed database
        fields["region"] = Region.objects.get(code=region)
    ProfileFactory(user=user, **fields)
    return user


def _team(challenge, track, people, **entry):
    team = TeamFactory(challenge=challenge, lead=people[0])
    for user in people[1:]:
        TeamMembershipFactory(team=team, user=user)
    return SubmissionFactory(challenge=challenge, team=team, owner=people[0], track=track, **entry)


@pytest.fixture
def world(public_challenge):  # noqa: F811 (the fixture imported above)
    """A closed public challenge with known people:

    * team "health" (track Health, the winner): six women of Tashkent region, aged 18–24,
      all of whom agree to publicity;
    * team "water" (track Water, a finalist): three men of Karakalpakstan, one of whom
      does not agree;
    * a solo draft without a track by someone who gave neither region nor gender.
    """
    challenge = public_challenge("closed", slug="known", age_reference_date=date(2026, 1, 1))
    health = challenge.tracks.get()
    health.slug = "health"
    health.save()
    water = TrackFactory(challenge=challenge, slug="water", name="Suv", name_en="Water")
    women = [_person(gender="female") for _ in range(6)]
    men = [_person(gender="male", region="UZ-QR") for _ in range(2)]
    men.append(_person(gender="male", region="UZ-QR", consent=False))
    winner = _team(
        challenge,
        health,
        women,
        title="Toza havo",
        status="winner",
        submitted_at=timezone.now() - timedelta(days=9),
    )
    finalist = _team(
        challenge,
        water,
        men,
        title="Suv tomchisi",
        status="finalist",
        submitted_at=timezone.now() - timedelta(days=9),
    )
    solo = _person(gender="", region=None, birth_date=None)
    SubmissionFactory(challenge=challenge, team=None, owner=solo, title="Qoralama")
    round_ = RoundFactory(challenge=challenge, position=1, status=RoundStatus.PUBLISHED)
    PublicationFactory(
        round=round_,
        rows=[
            {
                "rank": r,
                "entry_id": e.id,
                "title": e.title,
                "track": "",
                "score": s,
                "status": e.status,
            }
            for r, e, s in ((1, winner, "90.00"), (2, finalist, "80.00"))
        ],
    )
    cache.clear()  # the rate limiter's counts
    return {"challenge": challenge, "people": [*women, *men, solo]}
