import pytest

from cms.demo.site import HOME_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("code", ["uz", "ru", "en"])
def test_home_page_opens_in_each_language(live_server, home_pages, page, code):
    page.goto(f"{live_server.url}/{code}/")

    assert page.locator("html").get_attribute("lang") == code
    assert page.locator("h1").inner_text() == HOME_TEXT[code]["title"]
    # Mobile-first: nothing sticks out sideways at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_language_switcher_moves_between_translations(live_server, home_pages, page):
    page.goto(f"{live_server.url}/uz/")

    page.locator("nav.lang a[hreflang=ru]").click()
    page.wait_for_url(f"{live_server.url}/ru/")

    assert page.url == f"{live_server.url}/ru/"
    assert page.locator("h1").inner_text() == HOME_TEXT["ru"]["title"]


def test_admin_asks_for_the_public_login(live_server, page):
    page.goto(f"{live_server.url}/admin/")

    assert "/accounts/login/?next=/admin/" in page.url
    assert page.locator("input[name=login]").count() == 1
    assert page.locator("input[name=password]").count() == 1
