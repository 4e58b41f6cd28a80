"""The demo vote: a few dozen counted votes and one burst held back, loaded once."""

import io

import pytest

from cms.demo import vote as demo
from tests.factories import ChallengeFactory, SubmissionFactory
from voting.enums import VoteStatus
from voting.models import Vote

pytestmark = pytest.mark.django_db


def test_the_demo_vote_has_counted_votes_and_one_held_burst():
    challenge = ChallengeFactory(slug=demo.SLUG)
    for _ in range(3):
        SubmissionFactory(challenge=challenge, status="submitted")
    for _ in range(2):
        demo.load(stdout=io.StringIO())
    assert Vote.objects.filter(status=VoteStatus.COUNTED).count() == demo.ORGANIC
    held = Vote.objects.filter(status=VoteStatus.HELD)
    assert held.count() == demo.BURST
    assert len({v.submission_id for v in held}) == 1


def test_the_demo_vote_skips_without_the_challenge():
    demo.load(stdout=io.StringIO())
    assert not Vote.objects.exists()


def test_load_demo_opens_the_open_data_vote_with_a_burst_to_review(client, shared_demo):
    from voting.models import PeoplesChoice

    peoples_choice = PeoplesChoice.objects.get(challenge__slug=demo.SLUG)
    assert peoples_choice.votes.filter(status=VoteStatus.HELD).count() == demo.BURST
    assert peoples_choice.votes.filter(status=VoteStatus.COUNTED).count() == demo.ORGANIC
    response = client.get(f"/en/vote/{demo.SLUG}/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 3
