from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from challenges.models import Phase
from cms.models import NewsIndexPage, ResultsPage
from cms.pages import ensure_translated_page
from tests.factories import ChallengeFactory, TrackFactory, with_phases

pytestmark = pytest.mark.django_db

TASHKENT = ZoneInfo("Asia/Tashkent")


@pytest.mark.parametrize("code", ["uz", "ru", "en"])
def test_challenge_page_renders_in_each_language(client, make_challenge_page, code):
    challenge = with_phases(ChallengeFactory(title="Ochiq maʼlumotlar"), status="open")
    pages = make_challenge_page(challenge)

    response = client.get(pages[code].url)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{code}">' in html
    assert f"<h1>Ochiq maʼlumotlar [{code}]</h1>" in html
    assert f"Ochiq maʼlumotlar: summary in {code}." in html
    assert f'<meta name="description" content="Ochiq maʼlumotlar: description in {code}.">' in html
    assert '<meta property="og:title" content="Ochiq maʼlumotlar [' in html
    assert f'<meta property="og:locale" content="{code}">' in html
    # hreflang alternates point at every translation
    for other in ("uz", "ru", "en"):
        assert f'hreflang="{other}" href="http://localhost{pages[other].url}"' in html


def test_timeline_shows_deadline_in_challenge_time_zone(client, make_challenge_page):
    challenge = ChallengeFactory()
    deadline = datetime(2030, 3, 15, 23, 59, tzinfo=TASHKENT)
    Phase.objects.create(
        challenge=challenge,
        kind="submission",
        starts_at=deadline - timedelta(days=30),
        ends_at=deadline,
    )
    pages = make_challenge_page(challenge)

    en = client.get(pages["en"].url).content.decode()
    ru = client.get(pages["ru"].url).content.decode()

    # 23:59 in Tashkent is 18:59 UTC; the page must say 23:59 and name the zone.
    assert "15 March 2030, 23:59" in en
    assert "Tashkent time" in en
    assert "Asia/Tashkent" not in en + ru
    assert "ташкентское время" in ru
    assert "15 марта 2030 г. 23:59" in ru  # noqa: RUF001


@pytest.mark.parametrize(
    ("status", "phase_kind", "label", "links_to_entry"),
    [
        ("upcoming", None, "Registration has not opened yet", False),
        ("open", "registration", "Register", True),
        ("open", "submission", "Submit your entry", True),
        ("judging", None, "Judging under way", False),
    ],
)
def test_call_to_action_follows_the_phase(
    client, make_challenge_page, status, phase_kind, label, links_to_entry
):
    now = timezone.now()
    challenge = ChallengeFactory()
    with_phases(challenge, status=status, now=now)
    if phase_kind == "registration":
        # move the clock into registration: shift every phase 15 days later
        for phase in challenge.phases.all():
            phase.starts_at += timedelta(days=15)
            phase.ends_at += timedelta(days=15)
            phase.save()
    pages = make_challenge_page(challenge)

    html = client.get(pages["en"].url).content.decode()

    enter = f'href="/en/me/enter/{challenge.slug}/"'
    assert label in html
    assert (enter in html) is links_to_entry


def test_closed_challenge_links_to_its_results(client, home_pages, make_challenge_page):
    challenge = with_phases(ChallengeFactory(), status="closed")
    pages = make_challenge_page(challenge)
    news = ensure_translated_page(
        home_pages,
        NewsIndexPage,
        slug="news",
        texts={code: {"title": f"News {code}"} for code in ("uz", "ru", "en")},
    )
    results = ensure_translated_page(
        news,
        ResultsPage,
        slug="winners",
        texts={code: {"title": f"Winners {code}"} for code in ("uz", "ru", "en")},
        challenge=challenge,
        body=[("rankings", None)],
    )

    html = client.get(pages["ru"].url).content.decode()
    english = client.get(pages["en"].url).content.decode()
    results_html = client.get(results["ru"].url)

    # each language links to the results page in that language
    assert f'<a class="button cta-button" href="{results["ru"].url}">' in html
    assert f'<a class="button cta-button" href="{results["en"].url}">See results</a>' in english
    assert results_html.status_code == 200
    assert "<h1>Winners ru</h1>" in results_html.content.decode()


def test_eligibility_and_tracks_are_shown_in_plain_words(client, make_challenge_page):
    challenge = with_phases(
        ChallengeFactory(
            min_age=10, max_age=18, gender_rule="female", mentor_required=True, team_max_size=5
        )
    )
    TrackFactory(challenge=challenge, name_en="Junior", slug="junior", min_age=10, max_age=14)
    pages = make_challenge_page(challenge)

    html = client.get(pages["en"].url).content.decode()

    assert "Open to women and girls only." in html
    assert "Every team needs a mentor." in html
    assert "Teams have 1 to 5 members." in html
    assert "<strong>Junior</strong>: Participants are 10 to 14 years old on" in html


@pytest.mark.parametrize("count", [5, 200])
def test_challenge_page_queries_do_not_grow_with_challenges(
    client, make_challenge_page, django_assert_num_queries, count
):
    challenges = [with_phases(ChallengeFactory()) for _ in range(count)]
    for challenge in challenges[1:]:
        make_challenge_page(challenge, languages=("uz",))
    target = make_challenge_page(challenges[0])["en"]
    TrackFactory(challenge=challenges[0])
    client.get(target.url)  # warm caches (site root paths)

    with django_assert_num_queries(QUERIES_CHALLENGE_PAGE):
        response = client.get(target.url)

    assert response.status_code == 200


QUERIES_CHALLENGE_PAGE = 19  # the site header comes from the cache (cms/navigation.py)


def test_english_staff_dates_are_day_first_on_a_24_hour_clock(settings):
    from datetime import datetime

    from django.utils import formats, translation

    moment = datetime(2020, 5, 16, 8, 0)  # noqa: DTZ001 -- formatting only
    with translation.override("en"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "16.05.2020 08:00"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "16 May 2020, 08:00"
