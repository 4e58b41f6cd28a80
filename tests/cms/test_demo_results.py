"""The demo's published final: six finalists, three winners placed 1–3, loaded once."""

import io

import pytest

from cms.demo import judging as judging_demo
from cms.demo import results as demo
from judging.enums import RoundStatus
from judging.models import Round
from judging.selectors import published_results, winner_places
from submissions.models import Submission
from tests.factories import ChallengeFactory, SuperuserFactory
from tests.judging.helpers import make_entries

pytestmark = pytest.mark.django_db


def test_results_demo_skips_without_the_challenge():
    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue()
    assert not Round.objects.exists()


def test_results_demo_publishes_a_final_with_three_placed_winners_once():
    SuperuserFactory()
    challenge = ChallengeFactory(slug=judging_demo.SLUG)
    make_entries(challenge, 12, status="submitted")
    judging_demo.load(stdout=io.StringIO())
    for _ in range(2):
        demo.load(stdout=io.StringIO())

    final = Round.objects.get(challenge=challenge, name=demo.FINAL_NAME)
    assert final.status == RoundStatus.PUBLISHED
    assert published_results(challenge).round == final
    statuses = dict(Submission.objects.filter(challenge=challenge).values_list("id", "status"))
    winners = [pk for pk, status in statuses.items() if status == "winner"]
    finalists = [pk for pk, status in statuses.items() if status == "finalist"]
    assert (len(winners), len(finalists)) == (3, 3)
    assert sorted(winner_places(challenge, winners).values()) == [1, 2, 3]
    # Every finalist was scored by each of the three final jurors, all reviews submitted.
    assert final.reviews.count() == 6 * len(demo.FINAL_JURORS)
    assert not final.reviews.exclude(state="submitted").exists()
    # The published rows are the final's ranking: the winners ranked 1–3.
    rows = sorted(published_results(challenge).rows, key=lambda r: r["rank"])
    assert {r["entry_id"] for r in rows[:3]} == set(winners)
