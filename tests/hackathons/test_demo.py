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
    # Everyone answered the application questions, frozen with their labels.
    for row in event.registrations.all():
        assert [item["key"] for item in row.answers] == ["tajriba", "noutbuk"]
        assert row.answers[0]["labels"]["en"] == "Your experience"
    response = client.get(f"/en/hackathons/{demo.SLUG}/")
    assert "Tashkent Weekend Hackathon" in response.content.decode()


def test_the_demo_hackathon_has_a_challenge_page_in_every_language(client, shared_demo):
    for code, title in (
        ("uz", "Toshkent dam olish kuni xakatoni"),
        ("ru", "Ташкентский хакатон выходного дня"),
        ("en", "Tashkent Weekend Hackathon"),
    ):
        index = client.get(f"/{code}/challenges/")
        assert title in index.content.decode(), code
        page = client.get(f"/{code}/challenges/{demo.SLUG}/")
        assert page.status_code == 200, code
        assert f"/{code}/hackathons/{demo.SLUG}/" in page.content.decode(), code
