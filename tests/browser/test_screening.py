"""A screener on a phone marks an entry ineligible in Uzbek; staff see the outcome."""

import pytest

from judging.models import ScreeningOutcome
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screener_decides_on_a_phone_and_staff_see_the_outcome(
    sign_in, live_server, page, home_pages, axe_violations
):
    from tests.judging.helpers import assign, make_entries, make_juror

    round_ = factories.ScreeningRoundFactory(reviews_per_entry=1)
    entry, other = make_entries(round_.challenge, 2, status="submitted")
    screener = make_juror(round_.challenge, user=factories.UserFactory(username="malika"))
    review, _second = assign(round_, screener, [entry, other])

    sign_in(screener.user)
    page.goto(f"{live_server.url}/uz/judging/round/{round_.id}/")
    assert page.locator("html").get_attribute("lang") == "uz"
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/uz/judging/round/{round_.id}/screen/{review.id}/")
    assert entry.title in page.content()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Ineligible without a reason: refused, in Uzbek, nothing saved.
    page.locator("input[name=verdict][value=ineligible]").check()
    page.locator("form button[type=submit]").last.click()
    assert "Ariza nima uchun mos emasligini tanlang." in page.content()
    assert not ScreeningOutcome.objects.exists()

    page.locator("input[name=verdict][value=ineligible]").check()
    page.locator("select[name=reason]").select_option("duplicate")
    page.locator("form button[type=submit]").last.click()
    assert "Qaror saqlandi. Rahmat." in page.content()
    outcome = ScreeningOutcome.objects.get(submission=entry)
    assert (outcome.verdict, outcome.reason) == ("ineligible", "duplicate")
    entry.refresh_from_db()
    assert entry.status == "ineligible"

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(factories.SuperuserFactory())
    page.goto(f"{live_server.url}/admin/judging/round/{round_.id}/screening/")
    body = page.locator("main").inner_text()
    assert entry.title in body
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/admin/judging/round/{round_.id}/")
    assert "1/2" in page.locator("main").inner_text()
    assert axe_violations(page) == []
