"""The pairwise demo: a half-done expo round on the demo hackathon, idempotent."""

import io

import pytest

from cms.demo import pairwise as demo
from judging.models import Comparison, ExpoTable, Round
from judging.services import pairwise
from tests.factories import ChallengeFactory

from .helpers import make_entries

pytestmark = pytest.mark.django_db


def test_without_a_hackathon_the_demo_makes_a_minimal_one_and_a_half_done_round():
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    round_ = Round.objects.get(name=demo.ROUND_NAME)
    assert round_.challenge.kind == "hackathon"
    assert round_.is_pairwise
    assert round_.is_open_at()
    assert ExpoTable.objects.filter(round=round_).count() == len(demo.PROJECTS)
    assert Comparison.objects.filter(round=round_).count() == sum(demo.STEPS)
    rows = pairwise.ranking(round_)
    assert sum(r.comparisons for r in rows) == 2 * sum(demo.STEPS)
    assert any(r.comparisons == 0 for r in rows)  # half done: some tables still unseen
    # The demo juror is on the way to a table.
    juror = round_.challenge.jurors.get(user__username="juror")
    assert pairwise.walk(round_, juror).current is not None


def test_the_demo_uses_the_hackathon_it_finds_and_its_projects():
    hackathon = ChallengeFactory(kind="hackathon")
    entries = make_entries(hackathon, 7)
    demo.load(stdout=io.StringIO())
    round_ = Round.objects.get(name=demo.ROUND_NAME)
    assert round_.challenge == hackathon
    assert set(ExpoTable.objects.values_list("submission_id", flat=True)) == {e.id for e in entries}
