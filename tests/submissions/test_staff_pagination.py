"""The staff entries list at a programme's size: pages staff choose, sort and filters kept
across pages, the same queries for 10 rows as for 300, and the export still every row."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from submissions.models import Submission
from tests.factories import ChallengeFactory, TeamFactory, TrackFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/entries/"
ROW = re.compile(r'<a href="/admin/entries/(\d+)/">([^<]*)</a>')


def _entries(challenge, n, *, status="eligible"):
    """``n`` entries at once, each by its own participant, the first by a team (titles sort
    in creation order)."""
    track = TrackFactory(challenge=challenge)
    tag = UserFactory().pk
    owners = get_user_model().objects.bulk_create(
        get_user_model()(username=f"p{tag}-{status}-{i}", email=f"p{tag}-{status}-{i}@example.org")
        for i in range(n)
    )
    team = TeamFactory(challenge=challenge, lead=owners[0])
    now = timezone.now()
    return Submission.objects.bulk_create(
        Submission(
            challenge=challenge,
            team=team if i == 0 else None,
            owner=owners[i],
            track=track,
            title=f"Entry {i:04d}",
            status=status,
            submitted_at=now - timedelta(minutes=i),
        )
        for i in range(n)
    )


def _rows(response):
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


@pytest.fixture
def managed(client, manager):
    challenge = ChallengeFactory()
    challenge.managers.add(manager)
    client.force_login(manager)
    return challenge


def _queries(client, challenge, n):
    _entries(challenge, n)
    client.get(LIST, {"challenge": challenge.pk})  # warm the session and the admin's caches
    with CaptureQueriesContext(connection) as queries:
        rows = _rows(client.get(LIST, {"challenge": challenge.pk}))
    assert len(rows) == min(n, 100)
    return len(queries)


def test_the_list_costs_the_same_queries_for_10_and_300_entries(client, manager):
    counts = []
    for n in (10, 300):
        challenge = ChallengeFactory()
        challenge.managers.add(manager)
        client.force_login(manager)
        counts.append(_queries(client, challenge, n))
    assert counts[0] == counts[1]


def test_staff_choose_the_page_size_and_reach_the_last_page(client, managed):
    _entries(managed, 260)
    assert len(_rows(client.get(LIST, {"challenge": managed.pk}))) == 100
    assert len(_rows(client.get(LIST, {"challenge": managed.pk, "size": 250}))) == 250
    last = client.get(LIST, {"challenge": managed.pk, "size": 250, "page": 2})
    assert len(_rows(last)) == 10
    assert "Rows 251–260 of 260" in last.content.decode()
    # Past the end: the last page; a size not offered: the default.
    assert _rows(client.get(LIST, {"challenge": managed.pk, "size": 250, "page": 99})) == _rows(
        last
    )
    assert len(_rows(client.get(LIST, {"challenge": managed.pk, "size": 13}))) == 100


def test_the_sort_and_the_filters_hold_across_pages(client, managed):
    _entries(managed, 120)
    _entries(managed, 5, status="ineligible")  # filtered out
    first = client.get(LIST, {"challenge": managed.pk, "status": "eligible", "sort": "-title"})
    page = first.content.decode()
    assert [t for _pk, t in _rows(first)][:2] == ["Entry 0119", "Entry 0118"]
    next_url = re.search(r'<a rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "sort=-title" in next_url
    assert "status=eligible" in next_url
    second = client.get(LIST + next_url)
    titles = [t for _pk, t in _rows(second)]
    assert titles == [f"Entry {i:04d}" for i in range(19, -1, -1)]
    assert "Rows 101–120 of 120" in second.content.decode()


def test_a_sort_keeps_one_order_where_rows_tie(client, managed):
    """Every entry has the same status: each still shows on exactly one page."""
    _entries(managed, 120)
    seen = []
    for number in (1, 2, 3):
        response = client.get(
            LIST, {"challenge": managed.pk, "sort": "status", "size": 50, "page": number}
        )
        seen += [pk for pk, _t in _rows(response)]
    assert len(seen) == len(set(seen)) == 120


def test_the_export_has_every_row_whatever_the_page(client, managed):
    _entries(managed, 260)
    response = client.get(
        LIST, {"challenge": managed.pk, "size": 50, "page": 3, "sort": "title", "format": "csv"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) - 1 == 260
