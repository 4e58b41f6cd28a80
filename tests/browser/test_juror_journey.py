"""A juror's journey on a phone, in Uzbek: accepts the jury invitation, declares a conflict
with one team (its entry leaves their queue), scores two entries and submits; staff, on a
desktop (1280 px), lock the round, advance the top entries and publish the results; the
public results page shows them.

Every page has no axe-core violation and is saved as screenshots (``checkpoint``)."""

import re

import pytest

from cms.models import NewsIndexPage, ResultsPage
from cms.pages import ensure_translated_page
from judging.enums import JurorStatus, Method, ReviewState, RoundStatus
from judging.models import Conflict, Juror, Review
from submissions.models import Submission
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_juror_scores_and_staff_publish_the_results(
    sign_in, live_server, page, home_pages, checkpoint, assert_uzbek, uz
):
    from tests.judging.helpers import assign, make_entries, make_juror, make_round, submit_scores

    challenge = factories.with_phases(factories.ChallengeFactory(), status="judging")
    round_ = make_round(challenge, k=2, method=Method.MEAN)
    a, b, c = make_entries(challenge, 3)
    for entry, title in zip((a, b, c), ("Mehr", "Suv", "Quyosh"), strict=True):
        entry.title = title
        entry.save(update_fields=["title"])
    other = make_juror(challenge)
    submit_scores(assign(round_, other, [a])[0], [9, 4])
    submit_scores(assign(round_, other, [b])[0], [3, 1])
    submit_scores(assign(round_, other, [c])[0], [2, 0])
    nodira = factories.UserFactory(username="nodira")
    invited = Juror.objects.create(challenge=challenge, email=nodira.email, user=None)
    assign(round_, invited, [a, b, c], key_start=10)
    news = ensure_translated_page(
        home_pages,
        NewsIndexPage,
        slug="yangiliklar",
        texts={code: {"title": f"Yangiliklar {code}"} for code in ("uz", "ru", "en")},
    )
    results = ensure_translated_page(
        news,
        ResultsPage,
        slug="goliblar",
        texts={code: {"title": f"Gʻoliblar {code}"} for code in ("uz", "ru", "en")},
        challenge=challenge,
        body=[("rankings", None)],
    )
    base = f"{live_server.url}/uz"

    def visit(name, tab=page):
        checkpoint(tab, name)
        assert_uzbek(tab)

    # The juror accepts the invitation (the confidentiality statement first).
    sign_in(nodira)
    page.goto(f"{base}/judging/invitation/{invited.token}/")
    visit("invitation")
    page.get_by_role("button", name=uz("Accept and sign")).click()
    page.wait_for_load_state()
    assert uz("Please sign the confidentiality statement.") in page.locator("main").inner_text()
    assert Juror.objects.get(pk=invited.pk).status != JurorStatus.ACTIVE
    page.locator("input[name=confidentiality]").check()
    page.get_by_role("button", name=uz("Accept and sign")).click()
    page.wait_for_url(re.compile(r".*/uz/judging/challenge/\d+/conflicts/$"))
    visit("conflicts")

    # A conflict with the team of "Quyosh": its review leaves the juror's queue.
    page.locator("select[name=kind]").select_option("team")
    page.locator("select[name=team]").select_option(label=c.team.name)
    page.get_by_role("button", name=uz("Declare")).click()
    page.wait_for_load_state()
    assert uz("Conflict recorded. You will not be assigned such entries.") in (
        page.locator(".messages").inner_text()
    )
    visit("conflict-declared")
    assert Conflict.objects.filter(juror=invited, team=c.team).exists()
    assert not Review.objects.filter(juror=invited, submission=c).exists()

    # Scores for the two entries left, each submitted.
    page.goto(f"{base}/judging/round/{round_.id}/")
    visit("queue")
    for entry, (impact, feasibility) in ((a, ("10", "5")), (b, ("4", "1.5"))):
        page.goto(f"{base}/judging/round/{round_.id}/")
        page.get_by_role("link", name=entry.title).click()
        page.wait_for_load_state()
        visit(f"review-{entry.title}")
        scores = page.locator("#review-form input[type=number]")
        scores.nth(0).fill(impact)
        scores.nth(1).fill(feasibility)
        for box in page.locator("#review-form textarea").all():
            box.fill("Aniq va oʻlchanadigan taʼsir.")
        page.get_by_role("button", name=uz("Submit review")).click()
        page.wait_for_load_state()
        visit(f"reviewed-{entry.title}")
    page.goto(f"{base}/judging/round/{round_.id}/")
    visit("queue-done")
    assert Review.objects.filter(juror=invited, state=ReviewState.SUBMITTED).count() == 2

    # Staff, on a desktop: lock, advance the top two as finalists, publish.
    page.context.clear_cookies()
    staff = factories.SuperuserFactory()
    sign_in(staff)
    page.set_viewport_size({"width": 1280, "height": 900})
    dashboard = f"{live_server.url}/admin/judging/round/{round_.id}/"
    page.goto(dashboard)
    checkpoint(page, "staff-round")
    page.locator("button[name=action][value=lock]").click()
    page.wait_for_load_state()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.LOCKED
    checkpoint(page, "staff-locked")
    advance = page.locator("form", has=page.locator("button[name=action][value=advance]"))
    advance.locator("input[name=top_n]").fill("2")
    advance.locator("select[name=status]").select_option("finalist")
    advance.locator("button[name=action][value=advance]").click()
    page.wait_for_load_state()
    checkpoint(page, "staff-advanced")
    finalists = set(Submission.objects.filter(status="finalist").values_list("title", flat=True))
    assert finalists == {"Mehr", "Suv"}
    page.locator("button[name=action][value=publish]").click()
    page.wait_for_load_state()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    checkpoint(page, "staff-published")

    # The public results, on a phone, as anyone sees them.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}{results['uz'].url}")
    visit("public-results")
    rows = page.locator("table.results tbody tr")
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(2)] == [
        "Mehr",
        "Suv",
    ]
    finalist = uz("Finalist")
    assert all(finalist in rows.nth(i).inner_text() for i in range(2))
    # "Quyosh" has one review of the two the round asks for: it is not ranked.
    assert all(finalist not in row.inner_text() for row in rows.filter(has_text="Quyosh").all())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
