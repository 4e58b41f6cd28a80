"""The juror's review form: validation, permissions, closing time and lost updates."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from judging.enums import ConflictKind, ReviewState
from judging.models import Conflict, Review, Score, ScoreChange
from tests.factories import PASSWORD, SuperuserFactory

from .helpers import assign, make_entries, make_juror, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    round_ = make_round()
    entries = make_entries(round_.challenge, 3)
    juror = make_juror(round_.challenge)
    reviews = assign(round_, juror, entries)
    client.login(username=juror.user.username, password=PASSWORD)
    impact, feasibility = list(round_.criteria.all())
    return round_, juror, reviews, impact, feasibility


def url(review):
    return reverse("judging:review", args=[review.round_id, review.id])


def form_data(impact, feasibility, a, b, *, version=0, submit=False, comment="Clear problem."):
    data = {
        "version": version,
        f"score_{impact.id}": a,
        f"comment_{impact.id}": comment,
        f"score_{feasibility.id}": b,
        f"comment_{feasibility.id}": "",
        "overall_comment": "Promising.",
    }
    data["submit" if submit else "save"] = "1"
    return data


def test_review_submit_stores_scores_and_moves_to_the_next_entry(client, setup):
    _round, _juror, reviews, impact, feasibility = setup
    response = client.post(url(reviews[0]), form_data(impact, feasibility, "8", "3.5", submit=True))
    assert response.status_code == 302
    assert response.url == url(reviews[1])
    reviews[0].refresh_from_db()
    assert reviews[0].state == ReviewState.SUBMITTED
    assert dict(Score.objects.filter(review=reviews[0]).values_list("criterion_id", "value")) == {
        impact.id: Decimal("8.00"),
        feasibility.id: Decimal("3.50"),
    }
    changes = ScoreChange.objects.filter(review=reviews[0], criterion__isnull=False)
    assert sorted((c.old_value, c.new_value) for c in changes) == [
        (None, Decimal("3.5")),
        (None, Decimal("8")),
    ]


def test_review_page_shows_criteria_guidance_and_the_frozen_entry(client, setup):
    _round, _juror, reviews, _impact, _feasibility = setup
    page = client.get(url(reviews[0])).content.decode()
    assert "Impact" in page
    assert "Feasibility" in page
    assert 'step="0.5"' in page
    assert reviews[0].submission.title in page
    assert 'rel="next"' in page


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ("11", "3", "Give a score from 1 to 10."),
        ("0", "3", "Give a score from 1 to 10."),
        ("7", "3.3", "Scores go in steps of 0.5."),
        ("7.5", "3", "Scores go in steps of 1."),
        ("seven", "3", "Enter a number."),
    ],
)
def test_review_rejects_scores_off_the_scale_or_step(client, setup, a, b, message):
    _round, _juror, reviews, impact, feasibility = setup
    response = client.post(url(reviews[0]), form_data(impact, feasibility, a, b))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Score.objects.exists()
    reviews[0].refresh_from_db()
    assert reviews[0].state == ReviewState.ASSIGNED
    assert reviews[0].version == 0


def test_review_submit_needs_every_criterion_but_a_draft_does_not(client, setup):
    _round, _juror, reviews, impact, feasibility = setup
    response = client.post(url(reviews[0]), form_data(impact, feasibility, "8", "", submit=True))
    assert response.status_code == 400
    assert "Score this criterion before submitting." in response.content.decode()
    assert not Score.objects.exists()
    response = client.post(url(reviews[0]), form_data(impact, feasibility, "8", ""))
    assert response.status_code == 302
    reviews[0].refresh_from_db()
    assert reviews[0].state == ReviewState.DRAFT
    assert Score.objects.get(review=reviews[0], criterion=impact).value == 8


def test_another_jurors_review_is_not_found_and_nothing_is_saved(client, setup):
    round_, _juror, reviews, impact, feasibility = setup
    other = make_juror(round_.challenge)
    theirs = assign(round_, other, [reviews[0].submission])[0]
    assert client.get(url(theirs)).status_code == 404
    response = client.post(url(theirs), form_data(impact, feasibility, "8", "3", submit=True))
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_a_conflicted_juror_cannot_score_the_entry(client, setup):
    _round, juror, reviews, impact, feasibility = setup
    Conflict.objects.create(juror=juror, kind=ConflictKind.TEAM, team=reviews[0].submission.team)
    response = client.post(url(reviews[0]), form_data(impact, feasibility, "8", "3", submit=True))
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_scoring_after_the_round_closed_saves_nothing(client, setup):
    round_, _juror, reviews, impact, feasibility = setup
    round_.closes_at = timezone.now() - timedelta(minutes=1)
    round_.save()
    response = client.post(
        url(reviews[0]), form_data(impact, feasibility, "8", "3", submit=True), follow=True
    )
    assert "This round is closed for scoring." in response.content.decode()
    assert not Score.objects.exists()


def test_two_tabs_saving_the_same_review_do_not_lose_an_update(client, setup):
    _round, _juror, reviews, impact, feasibility = setup
    # Both tabs loaded the form at version 0.
    first = client.post(url(reviews[0]), form_data(impact, feasibility, "8", "3", version=0))
    assert first.status_code == 302
    second = client.post(url(reviews[0]), form_data(impact, feasibility, "2", "1", version=0))
    assert second.status_code == 409
    assert "changed in another window" in second.content.decode()
    assert Score.objects.get(review=reviews[0], criterion=impact).value == 8
    # After reloading (version 1) the second tab can save.
    third = client.post(url(reviews[0]), form_data(impact, feasibility, "2", "1", version=1))
    assert third.status_code == 302
    assert Score.objects.get(review=reviews[0], criterion=impact).value == 2


def test_autosave_answers_json_with_the_new_version(client, setup):
    _round, _juror, reviews, impact, feasibility = setup
    response = client.post(
        url(reviews[0]), form_data(impact, feasibility, "6", ""), headers={"X-Autosave": "1"}
    )
    assert response.json()["version"] == 1
    stale = client.post(
        url(reviews[0]), form_data(impact, feasibility, "7", ""), headers={"X-Autosave": "1"}
    )
    assert stale.status_code == 409


def test_a_juror_may_reopen_until_the_round_closes_when_allowed(client, setup):
    round_, _juror, reviews, impact, feasibility = setup
    client.post(url(reviews[0]), form_data(impact, feasibility, "8", "3", submit=True))
    reopen = reverse("judging:reopen", args=[round_.id, reviews[0].id])
    client.post(reopen)
    reviews[0].refresh_from_db()
    assert reviews[0].state == ReviewState.DRAFT
    client.post(url(reviews[0]), form_data(impact, feasibility, "8", "3", version=2, submit=True))
    round_.juror_can_reopen = False
    round_.save()
    response = client.post(reopen, follow=True)
    assert "Only staff can reopen this review now." in response.content.decode()
    assert Review.objects.get(pk=reviews[0].pk).state == ReviewState.SUBMITTED


def test_queue_shows_progress_and_a_per_juror_random_order(client, setup):
    round_, _juror, reviews, impact, feasibility = setup
    client.post(url(reviews[0]), form_data(impact, feasibility, "8", "3", submit=True))
    page = client.get(reverse("judging:queue", args=[round_.id])).content.decode()
    assert "1 of 3 done" in page
    Review.objects.filter(pk=reviews[2].pk).update(queue_key=0)
    page = client.get(reverse("judging:queue", args=[round_.id])).content.decode()
    titles = [r.submission.title for r in reviews]
    assert page.index(titles[2]) < page.index(titles[0]) < page.index(titles[1])


def test_blind_round_hides_the_team_name(client, setup):
    round_, _juror, reviews, _impact, _feasibility = setup
    team = reviews[0].submission.team.name
    assert team not in client.get(url(reviews[0])).content.decode()
    round_.blind = False
    round_.save()
    assert team in client.get(url(reviews[0])).content.decode()


def test_first_opening_is_recorded_for_the_fast_review_flag(client, setup):
    """Opened and submitted at once: flagged. First opened an hour ago, opened again just
    now and submitted: not flagged — the flag measures from the first opening."""
    round_, _juror, reviews, impact, feasibility = setup
    quick, slow = reviews[0], reviews[1]
    client.get(url(quick))
    client.post(url(quick), form_data(impact, feasibility, "8", "3", submit=True))
    client.get(url(slow))
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Review.objects.filter(pk=slow.pk).update(opened_at=an_hour_ago)
    client.get(url(slow))  # opening again does not restart the clock
    client.post(url(slow), form_data(impact, feasibility, "6", "2", submit=True))
    slow.refresh_from_db()
    assert (slow.state, slow.opened_at) == (ReviewState.SUBMITTED, an_hour_ago)

    client.force_login(SuperuserFactory())
    dashboard = client.get(reverse("judging_admin:round", args=[round_.id]))

    assert dashboard.status_code == 200
    assert [r["id"] for r in dashboard.context["review_flags"]] == [quick.id]
    assert dashboard.content.decode().count("finished in under 3 minutes") == 1
