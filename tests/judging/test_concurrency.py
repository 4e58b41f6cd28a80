"""Two tabs submitting the same review at the same moment: one wins, nothing is lost."""

import threading

import pytest
from django.db import connections

from judging.models import Score
from judging.services.reviews import Answer, StaleReview, save_review
from tests.markers import postgres_only

from .helpers import assign, make_entries, make_juror, make_round

# Needs real concurrent connections; the sequential case is in test_scoring.py.
pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]


def test_simultaneous_saves_from_the_same_version_let_exactly_one_win():
    round_ = make_round()
    entry = make_entries(round_.challenge, 1)[0]
    juror = make_juror(round_.challenge)
    review = assign(round_, juror, [entry])[0]
    impact, feasibility = round_.criteria.all()
    barrier = threading.Barrier(2)
    outcomes = []

    def tab(value):
        try:
            barrier.wait()
            save_review(
                review=review,
                by=juror.user,
                answers={impact.id: Answer(value), feasibility.id: Answer(2)},
                overall_comment=f"tab {value}",
                version=0,
            )
            outcomes.append(("saved", value))
        except StaleReview:
            outcomes.append(("stale", value))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab, args=(v,)) for v in (3, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(kind for kind, _ in outcomes) == ["saved", "stale"]
    winner = next(v for kind, v in outcomes if kind == "saved")
    assert Score.objects.get(review=review, criterion=impact).value == winner
    review.refresh_from_db()
    assert review.version == 1
    assert review.overall_comment == f"tab {winner}"
