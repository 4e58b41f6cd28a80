"""The staff ranking is kept in the cache under fingerprints of its inputs: a view while
nothing changed reads no review again, and every change that moves the ranking — a review
submitted or reopened through the services, an entry leaving the competition (even by a
bulk ``update()``), a criterion's weight, the round's method, the language — is shown at
the next view."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging import selectors
from judging.enums import ReviewState
from judging.models import Review
from judging.services.reviews import Answer, reopen_review, save_review
from submissions.enums import SubmissionStatus
from submissions.models import Submission
from tests.factories import SuperuserFactory
from tests.judging.helpers import assign, make_entries, make_juror, make_round, submit_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = SuperuserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def world():
    """Three entries, two jurors, every review submitted: A 10/5, B 6/3, C 2/1."""
    round_ = make_round(k=2)
    entries = make_entries(round_.challenge, 3)
    jurors = [make_juror(round_.challenge) for _ in range(2)]
    reviews = {}
    for juror in jurors:
        for review, values in zip(
            assign(round_, juror, entries), [(10, 5), (6, 3), (2, 1)], strict=True
        ):
            reviews[(juror.id, review.submission_id)] = submit_scores(review, values)
    return round_, entries, jurors, reviews


def _page(client, round_):
    response = client.get(reverse("judging_admin:round", args=[round_.id]))
    assert response.status_code == 200
    return response.content.decode()


def _ranked(page):
    """``[(rank, title, score)]`` of the ranking table."""
    table = re.search(r'<table class="listing judging-ranking">.*?</table>', page, re.S).group(0)
    cells = r"<tr><td>([^<]+)</td><td><a [^>]+>([^<]+)</a></td><td>[^<]*</td><td>([^<]+)</td>"
    return re.findall(cells, table)


def test_a_second_view_reads_no_score(client, staff, world):
    round_, *_ = world
    first = _page(client, round_)
    with CaptureQueriesContext(connection) as queries:
        second = _page(client, round_)
    assert _ranked(second) == _ranked(first)
    assert not [q["sql"] for q in queries if "judging_score" in q["sql"]]


def test_a_review_reopened_and_saved_again_moves_the_ranking(client, staff, world):
    round_, entries, jurors, reviews = world
    assert [title for _rank, title, _score in _ranked(_page(client, round_))] == [
        e.title for e in entries
    ]
    review = reviews[(jurors[0].id, entries[2].id)]
    reopen_review(review=review, by=staff)
    page = _page(client, round_)
    # Reopened: C has one review of the two it needs, so it has no rank.
    assert [rank for rank, _title, _score in _ranked(page)] == ["1", "2", "—"]
    criteria = list(round_.criteria.all())
    review.refresh_from_db()
    save_review(
        review=review,
        by=jurors[0].user,
        answers={criteria[0].id: Answer(Decimal(10)), criteria[1].id: Answer(Decimal(5))},
        overall_comment="better on a second look",
        version=review.version,
        submit=True,
    )
    after = _ranked(_page(client, round_))
    # C was 14.07 from both jurors (2 on 1–10, 1 of 5); now (100 + 14.07) / 2.
    scores = {title: score for _rank, title, score in after}
    assert scores[entries[2].title] == "57.04"
    assert [rank for rank, _title, _score in after] == ["1", "2", "3"]
    assert Review.objects.get(pk=review.pk).state == ReviewState.SUBMITTED
    assert _ranked(_page(client, round_)) == after


def test_an_entry_withdrawn_by_a_bulk_update_leaves_the_ranking(client, staff, world):
    round_, entries, *_ = world
    assert len(_ranked(_page(client, round_))) == 3
    Submission.objects.filter(pk=entries[0].pk).update(status=SubmissionStatus.WITHDRAWN)
    ranked = _ranked(_page(client, round_))
    assert [title for _rank, title, _score in ranked] == [entries[1].title, entries[2].title]
    assert [rank for rank, _title, _score in ranked] == ["1", "2"]


def test_a_new_weight_gives_new_scores(client, staff, world):
    round_, entries, *_ = world
    before = {title: score for _r, title, score in _ranked(_page(client, round_))}
    _impact, feasibility = round_.criteria.order_by("position")
    feasibility.weight = Decimal(5)
    feasibility.save()
    after = {title: score for _r, title, score in _ranked(_page(client, round_))}
    # B: impact 6 on 1–10 is 55.56 %, feasibility 3 of 5 is 60 %: the weight moves it.
    assert before[entries[1].title] == "57.04"
    assert after[entries[1].title] == "58.73"


def test_a_status_changed_by_a_bulk_update_is_shown(client, staff, world):
    """Still in the competition, so the count of entries does not move; the status does."""
    round_, entries, *_ = world
    assert "<td>Finalist</td>" not in _page(client, round_)
    Submission.objects.filter(pk=entries[1].pk).update(status=SubmissionStatus.FINALIST)
    assert "<td>Finalist</td>" in _page(client, round_)


def test_a_track_renamed_is_shown(client, staff, world):
    round_, entries, *_ = world
    assert "Renamed track" not in _page(client, round_)
    track = entries[0].track
    track.name = track.name_en = "Renamed track"
    track.save()
    assert "<td>Renamed track</td>" in _page(client, round_)


def test_the_method_and_the_language_are_part_of_the_key(world):
    from django.utils import translation

    round_, *_ = world
    criteria = list(round_.criteria.all())
    keys = {selectors._cache_key("analysis", round_, criteria)}
    round_.method = "normalised"
    keys.add(selectors._cache_key("analysis", round_, criteria))
    with translation.override("ru"):
        keys.add(selectors._cache_key("analysis", round_, criteria))
    criteria[0].weight = Decimal(3)
    keys.add(selectors._cache_key("analysis", round_, criteria))
    assert len(keys) == 4


def test_the_fingerprint_moves_with_every_review_change(world):
    round_, entries, jurors, reviews = world
    seen = {selectors.reviews_fingerprint(round_)}
    review = reviews[(jurors[1].id, entries[1].id)]
    Review.objects.filter(pk=review.pk).update(state=ReviewState.DRAFT)  # no save(), no version
    seen.add(selectors.reviews_fingerprint(round_))
    Review.objects.filter(pk=review.pk).update(version=7)
    seen.add(selectors.reviews_fingerprint(round_))
    review.refresh_from_db()
    review.save()  # updated_at
    seen.add(selectors.reviews_fingerprint(round_))
    Review.objects.filter(pk=review.pk).delete()
    seen.add(selectors.reviews_fingerprint(round_))
    assert len(seen) == 5


class _Gone:
    """Stands for a class an older version of the code stored, renamed since."""


def test_an_entry_stored_by_another_version_is_computed_again(client, staff, world):
    import sys

    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    round_, entries, *_ = world
    round_ = type(round_).objects.get(pk=round_.pk)  # its values as the page reads them
    criteria = list(round_.criteria.all())
    keys = []
    for code, _name in settings.LANGUAGES:  # whichever the admin page is shown in
        with translation.override(code):
            keys.append(
                selectors._cache_key(
                    "analysis",
                    round_,
                    criteria,
                    round_.fast_review_minutes,
                    selectors.reviews_fingerprint(round_),
                    selectors._entries_fingerprint(round_),
                    list(
                        round_.challenge.tracks.order_by("id").values_list(
                            "id", "name", "name_ru", "name_en"
                        )
                    ),
                )
            )
    for key in keys:
        cache.set(key, _Gone())
    module = sys.modules[__name__]
    del module._Gone  # unpickling it now fails, as after a deploy
    try:
        ranked = _ranked(_page(client, round_))
    finally:
        module._Gone = type("_Gone", (), {})
    assert [title for _rank, title, _score in ranked] == [e.title for e in entries]
    assert any(isinstance(cache.get(key), selectors.Analysis) for key in keys)
