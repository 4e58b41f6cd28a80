"""The API on the demo: every challenge with a live page is listed in each language, and
the published results are the rows the results page shows."""

import pytest

from cms.demo import judging as judging_demo
from cms.models import ChallengePage, ResultsPage
from judging.templatetags.judging_tags import public_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["uz", "ru", "en"])
def test_every_public_demo_challenge_is_listed(client, shared_demo, lang):
    pages = ChallengePage.objects.live().public()
    expected = set(pages.values_list("challenge__slug", flat=True))

    body = client.get("/api/v1/challenges", {"lang": lang, "page_size": 100}).json()

    assert body["count"] == len(expected) > 0
    assert {item["slug"] for item in body["items"]} == expected
    english = lang == "en"
    for item in body["items"]:
        assert item["title"]
        assert ("Registration" in [p["name"] for p in item["phases"]]) == english


def test_demo_results_are_what_the_page_shows(client, shared_demo):
    # The results announcement's "rankings" block shows the published ranking.
    page = ResultsPage.objects.live().get(
        challenge__slug=judging_demo.SLUG, locale__language_code="en"
    )

    body = client.get(f"/api/v1/challenges/{judging_demo.SLUG}/results", {"lang": "en"}).json()
    html = client.get(page.url).content.decode()

    published = public_rows(page.challenge)
    assert [row["title"] for row in body["rows"]] == [row["title"] for row in published["rows"]]
    assert [row["rank"] for row in body["rows"]] == [row["rank"] for row in published["rows"]]
    assert len(body["rows"]) >= 3
    for row in body["rows"]:
        assert row["title"] in html
        assert row["score"] in html
