"""The judging demo: jurors with finished and half-finished reviews, normalisation matters."""

import io

import pytest

from cms.demo import judging as demo
from judging import selectors
from judging.enums import ReviewState
from judging.models import Juror, Review, Round
from judging.services.aggregation import juror_statistics
from tests.factories import ChallengeFactory, SuperuserFactory

from .helpers import make_entries

pytestmark = pytest.mark.django_db


def test_demo_skips_without_the_challenge():
    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue()


def test_demo_builds_a_round_with_harsh_and_lenient_jurors_idempotently():
    SuperuserFactory()
    challenge = ChallengeFactory(slug=demo.SLUG)
    make_entries(challenge, 24)
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    round_ = Round.objects.get(challenge=challenge)
    assert Round.objects.count() == 1
    mine = Review.objects.filter(round=round_, juror__user__username="juror")
    assert mine.count() >= 10
    done = mine.filter(state=ReviewState.SUBMITTED).count()
    assert 0 < done < mine.count()
    assert (
        Review.objects.filter(juror__user__username="juror.harsh")
        .exclude(state=ReviewState.SUBMITTED)
        .count()
        == 0
    )
    stats, _mean, _sd = juror_statistics(selectors.review_scores(round_))
    harsh = Juror.objects.get(user__username="juror.harsh").id
    lenient = Juror.objects.get(user__username="juror.lenient").id
    assert stats[harsh].mean < stats[lenient].mean - 20
    by_method = [r.entry.id for r in selectors.ranking(round_) if r.ranked.rank]
    by_mean = [r.entry.id for r in selectors.ranking(round_, method="mean") if r.ranked.rank]
    assert by_method != by_mean
