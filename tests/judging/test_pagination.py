"""The staff ranking and the screening list at a programme's size: a page of rows shown
(every entry still ranked), the same queries for 10 entries as for 300, the page size and
the filters kept across pages, and the export still every row."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ScreeningRoundFactory, SuperuserFactory
from tests.judging.helpers import bulk_scored, make_round

pytestmark = pytest.mark.django_db


def _get(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def _ranked_titles(page):
    table = re.search(r'<table class="listing judging-ranking">.*?</table>', page, re.S).group(0)
    return re.findall(r'<td><a href="[^"]+">(Entry \d+)</a></td>', table)


def _queries(client, url):
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        page = _get(client, url)
    return len(queries), page


@pytest.fixture
def staff(client):
    client.force_login(SuperuserFactory())


def test_the_ranking_page_costs_the_same_queries_for_10_and_300_entries(client, staff):
    counts = []
    for n in (10, 300):
        round_ = make_round(k=2)
        bulk_scored(round_, n)
        count, page = _queries(client, reverse("judging_admin:round", args=[round_.id]))
        assert len(_ranked_titles(page)) == min(n, 100)
        counts.append(count)
    assert counts[0] == counts[1]


def test_the_ranking_shows_a_page_of_rows_ranked_over_the_whole_round(client, staff):
    round_ = make_round(k=2)
    bulk_scored(round_, 260)
    url = reverse("judging_admin:round", args=[round_.id])
    first = _get(client, url)
    assert "260 entries match" in first
    assert len(_ranked_titles(first)) == 100
    assert len(_ranked_titles(_get(client, url, size=250))) == 250
    last = _get(client, url, size=250, page=2)
    assert len(_ranked_titles(last)) == 10
    assert "Rows 251–260 of 260" in last
    # Ranks continue over the pages: the last page holds ranks 251 to 260.
    ranks = re.findall(r"<tr><td>(\d+)</td><td><a ", last)
    assert [int(r) for r in ranks] == list(range(251, 261))
    assert _ranked_titles(_get(client, url, size=250, page=40)) == _ranked_titles(last)
    assert len(_ranked_titles(_get(client, url, size=99))) == 100  # not offered: the default


def test_the_ranking_filter_is_kept_across_pages_and_the_export_has_every_row(client, staff):
    round_ = make_round(k=2)
    entries, _panel = bulk_scored(round_, 130)
    bulk_scored(round_, 20)  # another track, filtered out
    track = entries[0].track_id
    url = reverse("judging_admin:round", args=[round_.id])
    first = _get(client, url, track=track, size=50)
    assert "130 entries match" in first
    next_url = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert f"track={track}" in next_url
    assert "size=50" in next_url
    assert next_url.endswith("#ranking")
    third = _get(client, url + next_url.replace("page=2", "page=3").split("#")[0])
    assert len(_ranked_titles(third)) == 30
    export = client.get(reverse("judging_admin:export", args=[round_.id, "ranking"]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) - 1 == 150


def _screening_rows(page):
    return page.count('class="screening-row')


def test_the_screening_list_costs_the_same_queries_for_10_and_300_entries(client, staff):
    counts = []
    for n in (10, 300):
        round_ = ScreeningRoundFactory(reviews_per_entry=1)
        bulk_scored(round_, n, jurors=0, status="submitted")
        count, page = _queries(client, reverse("judging_admin:screening", args=[round_.id]))
        assert _screening_rows(page) == min(n, 100)
        counts.append(count)
    assert counts[0] == counts[1]


def test_the_screening_list_keeps_the_list_shown_across_pages(client, staff):
    round_ = ScreeningRoundFactory(reviews_per_entry=1)
    bulk_scored(round_, 120, jurors=0, status="submitted")
    url = reverse("judging_admin:screening", args=[round_.id])
    first = _get(client, url, show="open", size=50)
    assert _screening_rows(first) == 50
    next_url = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "show=open" in next_url
    assert _screening_rows(_get(client, url + next_url)) == 50
    assert _screening_rows(_get(client, url, show="open", size=50, page=3)) == 20


def test_review_flags_found_by_the_database_count_every_flagged_review(client, staff):
    """No comment: an overall comment of whitespace only counts as none, a comment on a
    criterion counts as one; fast: under the round's minimum from the first opening."""
    from datetime import timedelta

    from judging.models import Review, Score

    round_ = make_round(k=1)
    bulk_scored(round_, 60, jurors=1)
    reviews = list(Review.objects.filter(round=round_).order_by("id"))
    Review.objects.filter(pk__in=[r.pk for r in reviews[:55]]).update(overall_comment=" \n\t ")
    Score.objects.filter(review__in=reviews[:55]).update(comment="")
    Score.objects.filter(review=reviews[0]).update(comment="clear")  # a criterion comment
    quick = reviews[-1]
    Review.objects.filter(pk=quick.pk).update(submitted_at=quick.opened_at + timedelta(minutes=1))
    page = _get(client, reverse("judging_admin:round", args=[round_.id]))
    assert "<summary><strong>review without comments</strong> (54)</summary>" in page
    assert "…and 4 more flagged reviews." in page
    assert "<summary><strong>finished in under 3 minutes</strong> (1)</summary>" in page


def test_the_panel_figures_from_the_database_match_the_reviews(client):
    """A juror's queue reads the panel's mean and SD from one query: the same numbers as
    computed from every review in Python."""
    from judging import selectors
    from judging.services.aggregation import juror_statistics

    round_ = make_round(k=2)
    assert selectors.panel_figures(round_) == (None, None)
    _entries, (juror, _other) = bulk_scored(round_, 40)
    _stats, mean, sd = juror_statistics(selectors.review_scores(round_))
    found = selectors.panel_figures(round_)
    assert found == pytest.approx((mean, sd))
    client.force_login(juror.user)
    page = _get(client, reverse("judging:queue", args=[round_.id]))
    assert "Panel mean" in page
