"""On a phone (360 px), a team reads its released feedback and appeals; staff decide it."""

import pytest

from judging.enums import AppealStatus
from judging.models import Appeal
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_team_reads_feedback_appeals_and_staff_decide(
    sign_in, live_server, page, home_pages, axe_violations
):
    from judging.models import Score
    from tests.judging.test_feedback import judged_round, released

    round_, entries, reviews = judged_round(3)
    entry = entries[1]
    first, _second = reviews[entry.pk]
    Score.objects.filter(review=first, criterion__name="Impact").update(
        comment="Strong pilot in two schools.", share_comment=True
    )
    released(round_)

    sign_in(entry.team.lead)
    page.goto(f"{live_server.url}/en/me/entry/{entry.pk}/")
    page.locator("#feedback a").first.click()
    body = page.locator("main").inner_text()
    assert "2 of 3" in body
    assert "Strong pilot in two schools." in body
    assert "Juror" not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []

    page.locator("#appeal-form textarea[name=reason]").fill("Our pilot results were missed.")
    page.locator("#appeal-form button[type=submit]").click()
    assert "Waiting for a decision." in page.locator("#appeal").inner_text()
    appeal = Appeal.objects.get(submission=entry)
    assert appeal.status == AppealStatus.FILED

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(factories.SuperuserFactory())
    page.goto(f"{live_server.url}/admin/judging/round/{round_.pk}/appeals/{appeal.pk}/")
    assert "Our pilot results were missed." in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.locator("#appeal-decide input[name=decision][value=dismissed]").check()
    page.locator("#appeal-decide textarea[name=response]").fill("The scores stand.")
    page.locator("#appeal-decide button[value=decide]").click()
    appeal.refresh_from_db()
    assert (appeal.status, appeal.response) == (AppealStatus.DISMISSED, "The scores stand.")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(entry.team.lead)
    page.goto(f"{live_server.url}/en/judging/entry/{entry.pk}/round/{round_.pk}/feedback/")
    assert "The scores stand." in page.locator("#appeal-decision").inner_text()
