import pytest
from django.core.management import call_command
from wagtail.models import Page

from cms.demo.site import HOME_TEXT
from cms.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["uz", "ru", "en"])
def test_home_page_served_in_each_language(client, home_pages, code):
    response = client.get(f"/{code}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{code}">' in html
    assert HOME_TEXT[code]["intro"] in html


def test_root_redirects_to_a_language_prefix(client, home_pages):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 302
    assert response["Location"] == "/ru/"


def test_language_switcher_links_to_each_translation(client, home_pages):
    html = client.get("/en/").content.decode()

    for code in ("uz", "ru", "en"):
        assert f'href="/{code}/" lang="{code}"' in html


def test_load_demo_twice_creates_no_duplicates(shared_demo):
    pages_before = Page.objects.count()

    call_command("load_demo", force=True, verbosity=0)

    assert Page.objects.count() == pages_before
    assert sorted(HomePage.objects.values_list("locale__language_code", flat=True)) == [
        "en",
        "ru",
        "uz",
    ]


def test_robots_and_sitemap_are_served(client, home_pages):
    robots = client.get("/robots.txt")
    sitemap = client.get("/sitemap.xml")

    assert robots.status_code == 200
    assert "Disallow: /admin/" in robots.content.decode()
    assert sitemap.status_code == 200
    assert "<urlset" in sitemap.content.decode()
