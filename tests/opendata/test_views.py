"""The open-data page and files of a challenge (opendata/): counts as the dashboard counts
them, suppressed; the CSV files say what the JSON says; the datapackage describes the CSV
files; no file names anyone; only public challenges have open data."""

import csv
import io

import pytest
from django.core.cache import cache

from tests.factories import (
    ChallengeFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/en/open-data/"


def _json(client, slug="known", lang="en"):
    response = client.get(f"/{lang}/open-data/{slug}/data.json")
    assert response.status_code == 200
    return response.json()


def _table(document, name):
    return next(t for t in document["tables"] if t["name"] == name)


def _counts(document, name):
    return {row["key"]: row["count"] for row in _table(document, name)["rows"]}


def test_counts_are_the_dashboards_suppressed_by_hand(client, world):
    document = _json(client)
    by_region = _counts(document, "people-by-region")
    # 6 in Tashkent region; 3 in Karakalpakstan and 1 not given are withheld (two small
    # cells, neither all ones nor all fours); every other region is a published zero.
    assert by_region["UZ-TK"] == 6
    assert by_region["UZ-QR"] is None
    assert by_region["unknown"] is None
    assert by_region["total"] == 10
    assert by_region["UZ-SA"] == 0
    assert len(by_region) == 14 + 2  # the regions, "not given", the total
    assert _counts(document, "people-by-gender") == {
        "female": 6,
        "male": None,
        "other": 0,
        "undisclosed": 0,
        "unknown": None,
        "total": 10,
    }
    # One small cell (the one without a birth date) takes the next-smallest (the nine
    # aged 18–24) with it.
    assert _counts(document, "people-by-age-group") == {
        "under_14": 0,
        "14_17": 0,
        "18_24": None,
        "25_30": 0,
        "over_30": 0,
        "unknown": None,
        "total": 10,
    }
    # 6 in Health and 3 in Water: the small one takes the next-smallest with it.
    assert _counts(document, "people-by-track") == {"health": None, "water": None, "total": 9}
    # Three entries: every count is small, the total too.
    by_status = _counts(document, "entries-by-status")
    assert by_status["total"] is None
    assert by_status["draft"] is None
    assert by_status["winner"] is None
    assert by_status["shortlisted"] == 0
    assert _counts(document, "entries-by-track") == {
        "health": None,
        "water": None,
        "unknown": None,
        "total": None,
    }
    assert document["threshold"] == 5
    assert document["licence"]["name"] == "CC-BY-4.0"
    assert "CC BY 4.0" in document["licence"]["attribution"]


def test_winners_only_where_every_member_agreed(client, world):
    rows = _table(_json(client), "winners")["rows"]
    assert rows == [
        {
            "rank": 1,
            "title": "Toza havo",
            "track": "Health",
            "status": "winner",
            "status_label": "Winner",
        }
    ]


def _csv(client, name, slug="known"):
    response = client.get(f"{BASE}{slug}/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _typed(value, kind):
    if kind == "integer":
        return None if value == "" else int(value)
    return value


def test_each_csv_parses_and_says_what_the_json_says(client, world):
    document = _json(client)
    package = client.get(f"{BASE}known/datapackage.json").json()
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    assert len(document["tables"]) == 7
    for table in document["tables"]:
        header, *rows = _csv(client, table["name"])
        assert header == table["fields"]
        types = [f["type"] for f in schemas[table["name"]]["fields"]]
        parsed = [
            {
                name: _typed(value, kind)
                for name, value, kind in zip(header, row, types, strict=True)
            }
            for row in rows
        ]
        assert parsed == table["rows"], table["name"]


def test_the_datapackage_describes_the_csv_files(client, world):
    package = client.get(f"{BASE}known/datapackage.json").json()
    document = _json(client)
    assert package["name"] == "tanlov-known"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    assert [r["name"] for r in package["resources"]] == [t["name"] for t in document["tables"]]
    for resource in package["resources"]:
        assert resource["format"] == "csv"
        assert resource["mediatype"] == "text/csv"
        assert resource["path"] == f"http://testserver/en/open-data/known/{resource['name']}.csv"
        fields = resource["schema"]["fields"]
        assert all(f["type"] in {"string", "integer"} and f["description"] for f in fields)
        header = _csv(client, resource["name"])[0]
        assert [f["name"] for f in fields] == header
        # The path in the descriptor is the file itself.
        assert client.get(resource["path"].removeprefix("http://testserver")).status_code == 200


def test_no_file_names_anyone(client, world):
    people = world["people"]
    secrets = set()
    for user in people:
        secrets |= {user.email, user.username, user.first_name, user.last_name}
        secrets.add(user.profile.full_name)
    secrets |= {team.name for team in world["challenge"].teams.all()}
    secrets.discard("")
    bodies = [client.get(f"{BASE}known/").content.decode()]
    bodies.append(client.get(f"{BASE}known/data.json").content.decode())
    bodies.append(client.get(f"{BASE}known/datapackage.json").content.decode())
    for table in _json(client)["tables"]:
        bodies.append(client.get(f"{BASE}known/{table['name']}.csv").content.decode())
    for body in bodies:
        found = [s for s in secrets if s in body]
        assert found == []
    # The finalist's team did not all agree: its title is nowhere.
    assert not any("Suv tomchisi" in body for body in bodies)


@pytest.mark.parametrize("suffix", ["", "data.json", "datapackage.json", "people-by-region.csv"])
def test_only_public_challenges_have_open_data(client, world, page_for, suffix):
    draft = ChallengeFactory(slug="draft-one")
    page_for(draft, live=False)
    private = ChallengeFactory(slug="private-one")
    page_for(private, private=True)
    ChallengeFactory(slug="no-page")
    for slug in ("draft-one", "private-one", "no-page", "missing"):
        assert client.get(f"{BASE}{slug}/{suffix}").status_code == 404
    assert client.get(f"{BASE}known/{suffix}").status_code == 200
    assert client.get(f"{BASE}known/nothing.csv").status_code == 404
    index = client.get(BASE).content.decode()
    assert "/en/open-data/known/" in index
    for hidden in ("draft-one", "private-one", "no-page"):
        assert hidden not in index


def test_the_page_in_each_language(client, world):
    for lang in ("en", "ru", "uz"):
        response = client.get(f"/{lang}/open-data/known/")
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in response.content.decode()
    page = client.get(f"{BASE}known/").content.decode()
    assert "Creative Commons Attribution 4.0" in page
    assert "Toza havo" in page
    assert "/en/open-data/known/people-by-region.csv" in page
    assert "/en/open-data/known/datapackage.json" in page
    # The labels follow the language of the URL; the keys do not.
    ru = _json(client, lang="ru")
    assert _counts(ru, "people-by-region") == _counts(_json(client), "people-by-region")


def test_files_are_cache_friendly(client, world):
    first = client.get(f"{BASE}known/data.json")
    assert first["ETag"]
    assert "max-age=900" in first["Cache-Control"]
    assert "public" in first["Cache-Control"]
    again = client.get(f"{BASE}known/data.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    csv_file = client.get(f"{BASE}known/winners.csv")
    assert (
        client.get(f"{BASE}known/winners.csv", HTTP_IF_NONE_MATCH=csv_file["ETag"]).status_code
        == 304
    )
    assert csv_file["ETag"] != first["ETag"]


def test_the_files_are_rate_limited(client, world, settings):
    settings.TANLOV_API_RATE_PER_MINUTE = 2
    cache.clear()
    assert client.get(f"{BASE}known/data.json").status_code == 200
    assert client.get(f"{BASE}known/winners.csv").status_code == 200
    refused = client.get(f"{BASE}known/datapackage.json")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert client.get(f"{BASE}known/").status_code == 200  # the page has its own budget
    assert client.get(f"{BASE}known/").status_code == 200
    assert client.get(f"{BASE}known/").status_code == 429


def test_the_threshold_is_a_setting(client, world, settings):
    settings.TANLOV_OPENDATA_MIN_CELL = 3
    document = _json(client)
    assert document["threshold"] == 3
    assert _counts(document, "people-by-track") == {"health": 6, "water": 3, "total": 9}


def test_the_challenge_page_and_the_footer_link_here(client, world):
    from cms.models import ChallengePage

    page = ChallengePage.objects.get(challenge=world["challenge"])
    body = client.get(page.url).content.decode()
    assert 'href="/uz/open-data/known/"' in body  # on the challenge's page
    assert 'href="/uz/open-data/"' in body  # in the footer


def test_with_nothing_withheld_the_counts_are_the_dashboards(client, world, settings):
    from reporting import aggregates

    settings.TANLOV_OPENDATA_MIN_CELL = 1
    document = _json(client)
    scope = aggregates.scope_for([world["challenge"]])
    board = aggregates.dashboard(scope)
    assert _counts(document, "people-by-region")["total"] == board.summary.registrations == 10
    gender = _counts(document, "people-by-gender")
    for bar in board.breakdowns["gender"].bars:
        assert gender[bar.key] == bar.count
    status = _counts(document, "entries-by-status")
    for bar in board.breakdowns["status"].bars:
        assert status[bar.key] == bar.count
    assert status["total"] == board.summary.entries == 3
    age = _counts(document, "people-by-age-group")
    for bar in board.breakdowns["age"].bars:
        assert age[bar.key] == bar.count
