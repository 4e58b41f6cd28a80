"""The published results read on a phone: every column visible, nothing scrolled away."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_results_show_every_column_at_360px(live_server, page, s3_server):
    call_command("load_demo", force=True, verbosity=0)
    page.goto(f"{live_server.url}/ru/news/covid-19-challenge-2020-winners/")
    status = page.locator("table.results tbody tr").first.locator("td").last
    box = status.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 360
    assert status.inner_text().strip()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
