import re

import pytest

from challenges.models import Region
from cms.models import ChallengePage
from tests.factories import ChallengeFactory, TrackFactory, with_phases

pytestmark = pytest.mark.django_db


def titles(response):
    """Challenge titles listed on the page, in order."""
    html = response.content.decode()
    return re.findall(r'<h3><a href="[^"]+">([^<]+) \[en\]</a></h3>', html)


@pytest.fixture
def catalogue(make_challenge_page):
    """Four challenges, one per status, with kinds, tracks and region rules."""
    regions = {r.code: r for r in Region.objects.filter(code__in=["UZ-TK", "UZ-QR"])}
    open_data = with_phases(
        ChallengeFactory(title="Open Data", kind="open_data", organiser="data.egov.uz"),
        status="open",
    )
    girls = with_phases(ChallengeFactory(title="Girls Tech", kind="girls_tech"), status="upcoming")
    TrackFactory(challenge=girls, slug="junior", name_en="Junior")
    TrackFactory(challenge=girls, slug="senior", name_en="Senior")
    hack = with_phases(ChallengeFactory(title="Hackathon", kind="hackathon"), status="judging")
    hack.allowed_regions.set([regions["UZ-QR"]])
    hack.save()  # a ParentalManyToManyField is written on save
    covid = with_phases(ChallengeFactory(title="Covid", kind="innovation"), status="closed")
    covid.allowed_regions.set([regions["UZ-TK"]])
    covid.save()
    pages = {}
    for challenge in (open_data, girls, hack, covid):
        pages[challenge.title] = make_challenge_page(challenge, languages=("uz", "en"))
    return pages


@pytest.fixture
def index_url(challenge_index):
    return challenge_index["en"].url


def test_listing_without_filters_shows_open_first(client, catalogue, index_url):
    response = client.get(index_url)

    assert response.status_code == 200
    assert titles(response) == ["Open Data", "Girls Tech", "Hackathon", "Covid"]
    assert "4 challenges" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "open"}, ["Open Data"]),
        ({"status": "upcoming"}, ["Girls Tech"]),
        ({"status": "judging"}, ["Hackathon"]),
        ({"status": "closed"}, ["Covid"]),
        ({"kind": "girls_tech"}, ["Girls Tech"]),
        ({"track": "senior"}, ["Girls Tech"]),
        # Challenges open to every region, plus the one limited to Karakalpakstan.
        ({"region": "UZ-QR"}, ["Open Data", "Girls Tech", "Hackathon"]),
        ({"q": "egov"}, ["Open Data"]),
        ({"q": "hackathon"}, ["Hackathon"]),
    ],
)
def test_each_filter_narrows_the_listing(client, catalogue, index_url, query, expected):
    response = client.get(index_url, query)

    assert response.status_code == 200
    assert titles(response) == expected


def test_filters_combine(client, catalogue, index_url):
    both = client.get(index_url, {"region": "UZ-TK", "status": "closed"})
    none = client.get(index_url, {"region": "UZ-TK", "kind": "hackathon"})

    assert titles(both) == ["Covid"]
    assert titles(none) == []
    assert "No challenge matches these filters." in none.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"status": "nonsense"},
        {"kind": "'; DROP TABLE x; --"},
        {"region": "UZ-XX"},
        {"track": "no-such-track"},
        {"page": "abc"},
        {"page": "99999"},
        {"q": "x" * 5000},
    ],
)
def test_bad_query_values_are_ignored_with_an_error(client, catalogue, index_url, query):
    response = client.get(index_url, query)

    html = response.content.decode()
    assert response.status_code == 200
    if "q" in query:
        assert titles(response) == []
    elif "page" in query:
        assert titles(response) == ["Open Data", "Girls Tech", "Hackathon", "Covid"]
    else:
        # the broken filter is dropped (every challenge shown) and the field says why
        assert len(titles(response)) == 4
        assert 'class="field-error"' in html


def test_repeated_parameter_uses_the_last_value(client, catalogue, index_url):
    response = client.get(index_url, {"status": ["open", "closed"]})

    assert response.status_code == 200
    assert titles(response) == ["Covid"]


def test_pagination_keeps_the_filters(client, make_challenge_page, challenge_index):
    for _ in range(14):
        make_challenge_page(with_phases(ChallengeFactory(), status="open"), languages=("uz", "en"))

    first = client.get(challenge_index["en"].url, {"status": "open"})
    second = client.get(challenge_index["en"].url, {"status": "open", "page": "2"})

    assert len(titles(first)) == 12
    assert len(titles(second)) == 2
    assert 'href="?status=open&amp;page=2"' in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()


def test_listing_shows_only_the_active_language(client, catalogue, challenge_index):
    response = client.get(challenge_index["uz"].url)

    html = response.content.decode()
    assert "Open Data [uz]" in html
    assert "[en]" not in html


@pytest.mark.parametrize("count", [5, 200])
def test_listing_queries_do_not_grow_with_challenges(
    client, make_challenge_page, challenge_index, django_assert_num_queries, count
):
    statuses = ["open", "upcoming", "judging", "closed"]
    for number in range(count):
        challenge = with_phases(ChallengeFactory(), status=statuses[number % 4])
        TrackFactory(challenge=challenge)
        make_challenge_page(challenge, languages=("uz",))
    url = challenge_index["uz"].url
    client.get(url)  # warm Wagtail's site-root cache

    with django_assert_num_queries(QUERIES_LISTING):
        plain = client.get(url)
    with django_assert_num_queries(QUERIES_FILTERED):
        filtered = client.get(url, {"status": "open", "region": "UZ-TK", "q": "Tanlov"})

    assert plain.status_code == filtered.status_code == 200


QUERIES_LISTING = 14  # the site header comes from the cache (cms/navigation.py)
QUERIES_FILTERED = 17


def test_cards_carry_their_cover_image_without_a_query_per_card(
    client, make_challenge_page, challenge_index
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ImageFactory

    url = challenge_index["uz"].url
    counts = []
    for total in (2, 8):
        while ChallengePage.objects.count() < total:
            challenge = with_phases(ChallengeFactory(), status="open")
            make_challenge_page(challenge, languages=("uz",), hero_image=ImageFactory())
        client.get(url)  # renditions are made on the first view
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        counts.append(len(queries))
        assert html.count('class="card-cover"') == total
        assert 'alt=""' in html  # decorative: the title beside it says what it is
    assert counts[0] == counts[1]
