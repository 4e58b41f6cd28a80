"""The demo weekend hackathon: over capacity with a waitlist, people looking for a team, a
few checked in."""

import pytest

from cms.demo import hackathon as demo
from hackathons.models import Event
from hackathons.services import registration

pytestmark = pytest.mark.django_db


def test_the_demo_hackathon_is_full_with_a_waitlist_teams_and_check_ins(client, shared_demo):
    event = Event.objects.get(challenge__slug=demo.SLUG)
    assert event.registrations.count() > event.capacity
    assert registration.places_taken(event) == event.capacity
    assert registration.waitlist(event).count() == event.registrations.count() - event.capacity
    assert event.registrations.filter(looking_for_team=True).count() >= 3
    assert event.registrations.filter(check_in__isnull=False).count() == demo.CHECKED_IN
    response = client.get(f"/en/hackathons/{demo.SLUG}/")
    assert "Tashkent Weekend Hackathon" in response.content.decode()
