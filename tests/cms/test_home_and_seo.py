import pytest

from cms.models import ChallengePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_site(shared_demo):
    return shared_demo


def test_home_page_features_open_challenges_deadlines_and_results(client, demo_site):
    html = client.get("/en/").content.decode()

    assert '<h2 id="featured-heading">Open challenges</h2>' in html
    assert ">Open Data Challenge [" not in html  # real titles, not test ones
    assert "Open Data Challenge</a></h3>" in html
    assert "Technovation Challenge</a></h3>" in html
    assert "COVID-19 Challenge 2020</a></h3>" not in html.split("Latest results")[0]
    assert "Upcoming deadlines" in html
    assert "(Tashkent time)" in html
    assert "COVID-19 Challenge 2020: the winners" in html


def test_main_navigation_lists_sections_in_the_active_language(client, demo_site):
    html = client.get("/ru/").content.decode()

    assert '<a href="/ru/challenges/">Конкурсы</a>' in html
    assert '<a href="/ru/news/">Итоги и новости</a>' in html


def test_footer_shows_site_settings_in_the_active_language(client, demo_site):
    html = client.get("/en/").content.decode()

    assert "4 Taras Shevchenko Street, Tashkent" in html
    assert 'href="mailto:tanlov@undp.org"' in html
    assert 'href="https://t.me/undpuzbekistan"' in html


def test_challenge_page_has_opengraph_image_and_description(client, demo_site):
    page = ChallengePage.objects.get(
        challenge__slug="open-data-challenge", locale__language_code="en"
    )

    html = client.get(page.url).content.decode()

    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Open Data Challenge">' in html
    assert '<meta property="og:description" content="Build a service citizens can use' in html
    assert '<meta property="og:image" content="http' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert f'<link rel="canonical" href="http://localhost{page.url}">' in html


def test_sitemap_lists_challenge_pages_in_every_language(client, demo_site):
    xml = client.get("/sitemap.xml").content.decode()

    for code in ("uz", "ru", "en"):
        assert f"http://localhost/{code}/challenges/open-data-challenge/</loc>" in xml


def test_robots_txt_keeps_crawlers_out_of_private_areas(client):
    text = client.get("/robots.txt").content.decode()

    assert "Disallow: /*/me/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
