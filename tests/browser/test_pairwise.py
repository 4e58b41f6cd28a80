"""A judge on a 360 px phone walks the expo and makes five comparisons; staff see the
ranking with its counts."""

import pytest

from judging.models import Comparison
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_judge_compares_five_times_on_a_phone_and_staff_see_the_ranking(
    sign_in, live_server, page, home_pages, axe_violations
):
    from tests.judging.helpers import make_entries, make_juror

    round_ = factories.PairwiseRoundFactory(name_en="Expo")
    entries = make_entries(round_.challenge, 8)
    judge = make_juror(round_.challenge, user=factories.UserFactory(username="aziz"))

    sign_in(judge.user)
    page.goto(f"{live_server.url}/en/judging/round/{round_.id}/")
    assert page.url.endswith(f"/en/judging/round/{round_.id}/expo/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start: send me to a table").click()
    assert "Go to table 1" in page.content()
    assert axe_violations(page) == []
    page.get_by_role("button", name="I have seen this project").click()
    for done in range(1, 6):
        assert "Which of the last two projects was better?" in page.content()
        if done == 1:
            assert axe_violations(page) == []
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # The project at this table wins every time.
        page.get_by_role("button", name="(this one)").click()
        assert "Thank you. Your answer is saved." in page.content()
        assert Comparison.objects.filter(judge=judge).count() == done
    # A project absent: the judge is sent elsewhere, the comparison still to come.
    before = page.locator("h2.expo-table").inner_text()
    page.get_by_role("button", name="Nobody there or busy").click()
    assert page.locator("h2.expo-table").inner_text() != before
    assert len({c.winner_id for c in Comparison.objects.all()}) == 5

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    staff = factories.SuperuserFactory()
    from wagtail.users.models import UserProfile

    UserProfile.objects.create(user=staff, preferred_language="en")
    sign_in(staff)
    page.goto(f"{live_server.url}/admin/judging/round/{round_.id}/")
    assert page.url.endswith(f"/admin/judging/round/{round_.id}/pairwise/")
    body = page.locator("main").inner_text()
    assert "5 comparisons so far." in body
    rows = page.locator("#pairwise-ranking tbody tr")
    assert rows.count() == len(entries)
    # Five comparisons: ten project sides counted.
    counts = [int(c) for c in page.locator("#pairwise-ranking td.comparisons").all_inner_texts()]
    assert sum(counts) == 10
    assert str(judge) in page.locator("#pairwise-judges").inner_text()
    assert axe_violations(page) == []
