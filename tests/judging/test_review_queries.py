"""The review form's cost: DESIGN.md allows ≤ 15 queries, flat in criteria and entries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.judging.helpers import assign, make_entries, make_juror, make_round

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def review_form(client, *, criteria, entries):
    specs = [
        {"name": f"C{i}", "weight": 1 + i % 3, "scale_min": 1, "scale_max": 10, "step": 1}
        for i in range(criteria)
    ]
    round_ = make_round(criteria=specs)
    juror = make_juror(round_.challenge)
    reviews = assign(round_, juror, make_entries(round_.challenge, entries))
    client.force_login(juror.user)
    return reverse("judging:review", args=[round_.id, reviews[0].id])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_review_form_queries_do_not_grow_with_criteria_or_entries(client, home_pages):
    small = review_form(client, criteria=2, entries=3)
    client.get(small)  # first visit: notes the opening time, fills the header cache
    small_count, small_html = count_queries(client, small)
    large = review_form(client, criteria=8, entries=40)
    client.get(large)
    large_count, large_html = count_queries(client, large)

    assert small_count == large_count <= MAX_QUERIES
    assert small_html.count('class="criterion"') == 2 + 1  # criteria and the overall box
    assert large_html.count('class="criterion"') == 8 + 1


def test_review_form_stays_within_budget_with_a_cold_header_cache(client, home_pages):
    url = review_form(client, criteria=5, entries=10)
    client.get(url)
    cache.clear()

    cold, html = count_queries(client, url)
    warm, _html = count_queries(client, url)

    assert warm < cold <= MAX_QUERIES
    assert ">Jury</a>" in html  # the juror's own link, read with the header
