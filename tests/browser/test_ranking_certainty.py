"""Staff see where the ranking is unsure: the cut, the open places marked, the interval
chart, and a preview of extra reviews at the cut — in headless Chromium at 1280 px."""

import pytest

from judging.models import Review
from tests.factories import SuperuserFactory
from tests.judging.test_certainty import scored_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_set_the_cut_see_the_boundary_and_preview_extra_reviews(
    live_server, page, sign_in, checkpoint
):
    round_, entries, _jurors, _spare = scored_round()
    sign_in(SuperuserFactory())
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/admin/judging/round/{round_.pk}/")
    page.click("#certainty-link")
    page.select_option("#id_rule", "top")
    page.fill("#id_value", "3")
    page.click("#cut-form button")
    page.locator("#certainty-summary").wait_for()

    summary = page.locator("#certainty-summary")
    assert "The first 2 places are above the cut" in summary.inner_text()
    assert "undecided" in summary.inner_text()
    marked = page.locator("#certainty-table tr.uncertain")
    assert marked.count() >= 1
    titles = {entries[2].title, entries[3].title}
    assert any(t in marked.first.inner_text() for t in titles)
    assert page.locator("svg.certainty-chart line.interval.uncertain").count() >= 1
    checkpoint(page, "certainty")

    before = Review.objects.count()
    page.fill("#id_budget", "2")
    page.fill("#id_per_juror", "1")
    page.click("#boundary-form button")
    page.locator("#boundary-plan tbody tr").first.wait_for()  # the preview page has loaded
    assert page.locator("#boundary-plan tbody tr").count() >= 1
    assert Review.objects.count() == before
    checkpoint(page, "boundary-plan")
    page.click("#boundary-confirm button")
    page.locator(".messages").first.wait_for()
    assert page.locator(".messages").inner_text().strip()
    assert Review.objects.count() == before + 2
