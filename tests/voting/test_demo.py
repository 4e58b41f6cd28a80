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
