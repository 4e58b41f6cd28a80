"""Whatever a stranger puts in the API's paths and query strings, the answer is JSON and
never a 500 (the test client re-raises what a view lets escape)."""

from urllib.parse import quote

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VALUE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["0", "-1", "9" * 40, "1e309", "NaN", "", "open", "uz", "%00"]),
    st.integers().map(str),
)
PARAMS = st.dictionaries(st.sampled_from(["status", "kind", "lang", "page", "page_size"]), VALUE)
SEGMENT = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="/?#"),
    min_size=1,
    max_size=60,
)


@pytest.fixture
def fuzzed(public_challenge):
    return public_challenge(slug="fuzzed")  # made once: every example reads the same world


@FUZZ
@given(params=PARAMS, segment=SEGMENT)
@override_settings(TANLOV_API_RATE_PER_MINUTE=100_000, TANLOV_VERIFY_RATE_PER_MINUTE=100_000)
def test_odd_queries_and_paths_never_fail(client, fuzzed, params, segment):
    part = quote(segment, safe="")
    for path in (
        "/api/v1/challenges",
        f"/api/v1/challenges/{part}",
        f"/api/v1/challenges/{part}/results",
        f"/api/v1/certificates/{part}",
        "/api/v1/challenges/fuzzed/results",
        "/api/v2/pages/",
    ):
        response = client.get(path, params)
        assert response.status_code in (200, 400, 404, 422), (path, params, response.content)
        assert response["Content-Type"].startswith("application/json")
