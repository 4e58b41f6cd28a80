"""A visitor on a 360 px phone finds an open challenge, reads it and switches language."""

from pathlib import Path

import pytest

from challenges.services.regions import ensure_regions
from cms.demo import challenges as demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def no_horizontal_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_find_open_challenge_read_it_and_switch_language(live_server, home_pages, page):
    from io import StringIO

    ensure_regions()
    demo.load(stdout=StringIO())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/en/challenges/")
    assert page.locator("h1").inner_text() == "Challenges"
    assert no_horizontal_scroll(page)

    page.select_option("select[name=status]", "open")
    page.get_by_role("button", name="Show challenges").click()
    page.wait_for_url("**/en/challenges/?*status=open*")
    titles = page.locator(".challenge-card h3").all_inner_texts()
    assert sorted(titles) == ["Open Data Challenge", "Technovation Challenge"]
    page.screenshot(path=str(SCREENSHOTS / "challenges-index-open-360.png"), full_page=True)

    page.get_by_role("link", name="Open Data Challenge").click()
    page.wait_for_url("**/en/challenges/open-data-challenge/")
    assert page.locator("h1").inner_text() == "Open Data Challenge"
    assert page.get_by_role("link", name="Submit your entry").is_visible()
    assert page.locator(".timeline li").count() == 5
    assert no_horizontal_scroll(page)

    page.locator("nav.lang a[hreflang=ru]").click()
    page.wait_for_url("**/ru/challenges/open-data-challenge/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Конкурс открытых данных"
    # the FAQ accordion opens without JavaScript frameworks (<details>)
    page.locator(".faq summary").first.click()
    assert page.locator(".faq details").first.get_attribute("open") is not None
    page.screenshot(path=str(SCREENSHOTS / "challenge-page-ru-360.png"), full_page=True)
    assert page.viewport_size["width"] == 360
    assert no_horizontal_scroll(page)
