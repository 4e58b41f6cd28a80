"""The open-data pages in a browser: no axe-core violation, readable at 360 px."""

import pytest

from tests.browser.conftest import (  # noqa: F401 (fixtures)
    axe_source,
    axe_violations,
    checkpoint,
    csp_violations,
    inject_axe,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_data_pages_are_accessible_at_360_and_1280_px(
    live_server,
    world,
    page,
    checkpoint,  # noqa: F811
):
    page.goto(f"{live_server.url}/en/open-data/")
    page.get_by_role("link", name=world["challenge"].display_title).click()
    page.wait_for_url("**/en/open-data/known/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Open data")
    wide = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter((e) => e.scrollWidth > 360)
            .map((e) => e.tagName + "." + e.className + ":" + e.scrollWidth).join(" ")"""
    )
    assert wide == ""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    checkpoint(page, "open-data-challenge")
    page.goto(f"{live_server.url}/uz/open-data/")
    checkpoint(page, "open-data-index-uz")
