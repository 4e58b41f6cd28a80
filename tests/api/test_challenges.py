"""``/api/v1/challenges``: public challenges only, their status by the challenges app's
rules, filters, pagination and names in the reader's language."""

import pytest

from tests.factories import ChallengeFactory, with_phases

pytestmark = pytest.mark.django_db

LIST = "/api/v1/challenges"


def slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


def test_lists_public_challenges_with_phases_and_tracks(client, public_challenge):
    challenge = public_challenge(slug="open-one", title="Ochiq", title_en="Open one")

    response = client.get(LIST, {"lang": "en"})

    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["slug"] == "open-one"
    assert item["title"] == "Open one"
    assert item["kind"] == "innovation"
    assert item["kind_name"] == "Innovation challenge"
    assert item["status"] == "open"
    assert item["status_name"] == "Open"
    assert item["current_phase"] == "submission"
    assert [p["kind"] for p in item["phases"]] == [
        "registration",
        "submission",
        "judging",
        "results",
        "incubation",
    ]
    assert item["phases"][1]["name"] == "Submission"
    submission = challenge.phases.get(kind="submission")
    assert item["phases"][1]["ends_at"].startswith(submission.ends_at.strftime("%Y-%m-%dT%H:%M"))
    assert item["tracks"] == [{"slug": challenge.tracks.get().slug, "name": "Health"}]
    # Nothing operational that the public page does not show.
    assert set(item) == {
        "slug",
        "title",
        "kind",
        "kind_name",
        "status",
        "status_name",
        "current_phase",
        "organiser",
        "time_zone",
        "phases",
        "tracks",
    }


@pytest.mark.parametrize(
    ("query", "header", "title", "track", "status_name"),
    [
        ({}, "uz", "Ochiq", "Sogʻliq", "Ochiq"),
        ({}, "ru", "Открытый", "Здоровье", None),
        ({"lang": "en"}, "ru", "Open one", "Health", "Open"),
        ({"lang": "ru"}, "en", "Открытый", "Здоровье", None),
    ],
)
def test_names_in_the_requested_language(
    client, public_challenge, query, header, title, track, status_name
):
    public_challenge(title="Ochiq", title_ru="Открытый", title_en="Open one")

    response = client.get(LIST, query, headers={"accept-language": header})

    (item,) = response.json()["items"]
    assert item["title"] == title
    assert item["tracks"][0]["name"] == track
    if status_name:
        assert item["status_name"] == status_name


def test_an_unknown_language_is_refused(client, public_challenge):
    public_challenge()

    assert client.get(LIST, {"lang": "fr"}).status_code == 422


def test_drafts_private_pages_and_pageless_challenges_never_appear(
    client, public_challenge, page_for
):
    public_challenge(slug="shown")
    page_for(with_phases(ChallengeFactory(slug="draft-page")), live=False)
    page_for(with_phases(ChallengeFactory(slug="private-page")), private=True)
    with_phases(ChallengeFactory(slug="no-page"))

    response = client.get(LIST, {"page_size": 100})

    assert slugs(response) == ["shown"]
    text = response.content.decode()
    for hidden in ("draft-page", "private-page", "no-page"):
        assert hidden not in text
        assert client.get(f"{LIST}/{hidden}").status_code == 404
        assert client.get(f"{LIST}/{hidden}/results").status_code == 404


def test_status_comes_from_the_phases_and_filters(client, public_challenge):
    for status in ("closed", "upcoming", "judging", "open"):
        public_challenge(status, slug=f"is-{status}")

    assert slugs(client.get(LIST)) == ["is-open", "is-upcoming", "is-judging", "is-closed"]
    for status in ("open", "upcoming", "judging", "closed"):
        assert slugs(client.get(LIST, {"status": status})) == [f"is-{status}"]
    assert client.get(LIST, {"status": "archived"}).status_code == 422


def test_filter_by_kind(client, public_challenge):
    public_challenge(slug="hack", kind="hackathon")
    public_challenge(slug="data", kind="open_data")

    assert slugs(client.get(LIST, {"kind": "open_data"})) == ["data"]
    assert slugs(client.get(LIST, {"kind": "hackathon", "status": "open"})) == ["hack"]
    assert slugs(client.get(LIST, {"kind": "hackathon", "status": "closed"})) == []


def test_pagination(client, public_challenge):
    for n in range(5):
        public_challenge(slug=f"c-{n}")

    first = client.get(LIST, {"page_size": 2}).json()
    third = client.get(LIST, {"page_size": 2, "page": 3}).json()

    assert first["count"] == third["count"] == 5
    assert [i["slug"] for i in first["items"]] == ["c-0", "c-1"]
    assert [i["slug"] for i in third["items"]] == ["c-4"]
    assert client.get(LIST, {"page": 0}).status_code == 422


def test_the_listing_costs_the_same_queries_for_more_challenges(
    client, public_challenge, django_assert_max_num_queries
):
    public_challenge()
    with django_assert_max_num_queries(6) as few:
        client.get(LIST)
    for _ in range(6):
        public_challenge()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(LIST).json()["items"]) == 7


def test_one_challenge_with_its_rules_and_prizes(client, public_challenge):
    from tests.factories import PrizeFactory

    challenge = public_challenge(slug="one", team_min_size=2, team_max_size=4, min_age=14)
    PrizeFactory(challenge=challenge, place=1, title="Birinchi", title_en="First", amount=1000)

    response = client.get(f"{LIST}/one", {"lang": "en"})

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "one"
    assert (body["team_min_size"], body["team_max_size"], body["min_age"]) == (2, 4, 14)
    assert body["prizes"] == [
        {"place": 1, "title": "First", "track": None, "amount": "1000.00", "currency": "UZS"}
    ]
    assert len(body["phases"]) == 5
    assert "managers" not in body


def test_an_unknown_challenge_is_404_json(client):
    response = client.get(f"{LIST}/nothing-here")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not Found"}


def test_without_the_cms_answer_no_challenge_is_public(client, public_challenge, monkeypatch):
    from api import selectors

    public_challenge(slug="shown")
    monkeypatch.setattr(selectors.hooks, "get_hooks", lambda name: [])

    assert slugs(client.get(LIST)) == []
    assert client.get(f"{LIST}/shown").status_code == 404
