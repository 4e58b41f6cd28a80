"""A juror scores two entries on a phone; the staff dashboard's progress and ranking follow."""

import pytest

from judging.enums import Method
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_juror_scores_two_entries_and_the_ranking_changes(sign_in, live_server, page, home_pages):
    from tests.judging.helpers import assign, make_entries, make_juror, make_round, submit_scores

    round_ = make_round(k=2, method=Method.MEAN)
    a, b, c = make_entries(round_.challenge, 3)
    juror_user = factories.UserFactory(username="nodira")
    me = make_juror(round_.challenge, user=juror_user)
    y, z = make_juror(round_.challenge), make_juror(round_.challenge)
    submit_scores(assign(round_, y, [a])[0], [5, 2])
    submit_scores(assign(round_, y, [b])[0], [2, 1])
    submit_scores(assign(round_, y, [c])[0], [7, 3])
    submit_scores(assign(round_, z, [c])[0], [7, 3])
    assign(round_, me, [a, b])

    staff = factories.SuperuserFactory()
    sign_in(staff)
    page.goto(f"{live_server.url}/admin/judging/round/{round_.id}/")
    first_row = page.locator("table.judging-ranking tbody tr").first
    assert c.title in first_row.inner_text()
    page.context.clear_cookies()

    # The juror signs in through the login form.
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("input[name=login]").fill(juror_user.email)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server.url}/en/judging/round/{round_.id}/")
    assert "0 of 2 done" in page.locator("#progress-text").inner_text()
    _no_horizontal_scroll(page)

    for entry, (impact, feasibility) in ((a, ("10", "5")), (b, ("6", "2.5"))):
        page.goto(f"{live_server.url}/en/judging/round/{round_.id}/")
        page.get_by_role("link", name=entry.title).click()
        page.get_by_label("Score").first.fill(impact)
        page.get_by_label("Score").nth(1).fill(feasibility)
        page.get_by_label("Comment on “Impact”").fill("Clear, measurable impact.")
        _no_horizontal_scroll(page)
        page.get_by_role("button", name="Submit review").click()
        page.wait_for_load_state()

    page.goto(f"{live_server.url}/en/judging/round/{round_.id}/")
    assert "2 of 2 done" in page.locator("#progress-text").inner_text()

    page.context.clear_cookies()
    sign_in(staff)
    page.goto(f"{live_server.url}/admin/judging/round/{round_.id}/")
    assert "Reviews done: 6/6" in page.locator(".judging-progress").inner_text()
    assert "2/2" in page.locator("tr", has_text=juror_user.get_full_name()).inner_text()
    rows = page.locator("table.judging-ranking tbody tr")
    # A: (42.96 + 100) / 2 = 71.48; C: 64.44; B: (14.07 + 53.70) / 2 = 33.89
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(3)] == [
        a.title,
        c.title,
        b.title,
    ]
    assert rows.nth(0).locator("td").nth(3).inner_text() == "71.48"
