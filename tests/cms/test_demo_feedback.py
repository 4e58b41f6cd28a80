"""The demo's released feedback on the COVID-19 final and its two appeals, loaded once."""

import io

import pytest

from cms.demo import feedback as demo
from cms.demo import judging as judging_demo
from cms.demo import results as results_demo
from judging.enums import AppealStatus, CommentState
from judging.models import Appeal, FeedbackComment, Round
from tests.factories import ChallengeFactory, SuperuserFactory
from tests.judging.helpers import make_entries

pytestmark = pytest.mark.django_db


def test_feedback_demo_skips_without_a_published_final():
    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue()


def test_feedback_demo_releases_moderated_feedback_and_two_appeals_once():
    SuperuserFactory()
    challenge = ChallengeFactory(slug=judging_demo.SLUG)
    make_entries(challenge, 12, status="submitted")
    judging_demo.load(stdout=io.StringIO())
    results_demo.load(stdout=io.StringIO())
    for _ in range(2):
        demo.load(stdout=io.StringIO())

    final = Round.objects.get(challenge=challenge, name=results_demo.FINAL_NAME)
    assert final.feedback_released_at is not None
    states = set(FeedbackComment.objects.filter(round=final).values_list("state", flat=True))
    assert states == {CommentState.APPROVED, CommentState.WITHHELD}
    assert FeedbackComment.objects.filter(text=demo.SOFTENED, original=demo.HARSH).exists()
    statuses = sorted(Appeal.objects.filter(round=final).values_list("status", flat=True))
    assert statuses == sorted([AppealStatus.REREVIEW, AppealStatus.DISMISSED])
