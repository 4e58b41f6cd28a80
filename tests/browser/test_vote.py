"""The people's choice vote on a phone (360 px): a visitor signs up, confirms the address,
votes and changes the vote; staff void the held-back burst and publish the results."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import SuperuserFactory
from tests.voting.helpers import make_entry, make_vote, voter
from voting.enums import VoteStatus
from voting.models import Vote
from voting.services import votes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tanlov-ovoz-2026!"


def _burst(pc, entry):
    start = timezone.now() - timedelta(minutes=5)
    for n in range(6):
        votes.cast_vote(
            peoples_choice=pc,
            entry=entry,
            by=voter(age=timedelta(minutes=8)),
            address=f"203.0.113.{n + 1}",
            user_agent="python-requests/2.31",
            now=start + timedelta(seconds=10 * n),
        )


def test_a_visitor_votes_and_staff_review_the_burst_and_publish(
    live_server, page, mailoutbox, sign_in, axe_violations, s3_server
):
    pc = make_vote()
    first = make_entry(pc, title="Toza havo")
    second = make_entry(pc, title="Ochiq maktab")
    target = make_entry(pc, title="Suv hisobi")
    _burst(pc, target)
    assert Vote.objects.filter(status=VoteStatus.HELD).count() == 6
    base = f"{live_server.url}/en"
    gallery = f"{base}/vote/{pc.challenge.slug}/"

    # The gallery is readable at 360 px, no sideways scrolling, no axe violations.
    page.goto(gallery)
    assert page.viewport_size["width"] == 360
    assert page.locator("li.card").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []

    # Sign up and confirm the address from the e-mail.
    page.goto(f"{base}/accounts/signup/?next=/en/vote/{pc.challenge.slug}/")
    page.get_by_label("Email").fill("ovoz@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    link = re.search(r"https?://\S+/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    if "/accounts/login/" in page.url:
        page.locator("input[name=login]").fill("ovoz@example.org")
        page.locator("input[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

    # Vote, then move the vote.
    page.goto(gallery)
    page.locator(f"#entry-{first.pk}").get_by_role("button", name=re.compile("^Vote")).click()
    assert "your vote is recorded" in page.locator(".messages").inner_text()
    assert "Toza havo" in page.get_by_test_id("my-vote").inner_text()
    page.locator(f"#entry-{second.pk}").get_by_role(
        "button", name=re.compile("Move my vote")
    ).click()
    assert "Your vote is changed" in page.locator(".messages").inner_text()
    assert "Ochiq maktab" in page.get_by_test_id("my-vote").inner_text()
    mine = Vote.objects.get(voter__email="ovoz@example.org")
    assert (mine.submission_id, mine.status) == (second.pk, VoteStatus.COUNTED)
    assert Vote.objects.filter(voter__email="ovoz@example.org").count() == 1

    # Results are hidden until published.
    page.goto(f"{base}/vote/{pc.challenge.slug}/results/")
    assert "not published yet" in page.locator("main").inner_text()

    # Staff void the held-back burst in one go, with a reason.
    sign_in(SuperuserFactory())
    page.goto(f"{live_server.url}/admin/voting/{pc.challenge_id}/review/")
    assert page.locator("input[name=votes]").count() == 6
    page.get_by_label("Void these votes").check()
    page.get_by_label("Reason").fill("Six accounts created minutes before, one script.")
    page.get_by_role("button", name="Apply to the selected votes").click()
    assert page.get_by_test_id("voided").inner_text() == "6"
    assert page.get_by_test_id("held").inner_text() == "0"

    # The vote closes; staff publish; anyone reads the audit summary.
    pc.closes_at = timezone.now() - timedelta(minutes=1)
    pc.opens_at = pc.closes_at - timedelta(days=2)
    pc.save()
    page.reload()
    page.get_by_role("button", name="Publish the results").click()
    page.get_by_role("link", name="The public result page").wait_for()
    assert "The results are published." in page.locator("body").inner_text()
    page.context.clear_cookies()
    page.goto(f"{base}/vote/{pc.challenge.slug}/results/")
    text = page.locator("main").inner_text()
    assert "Ochiq maktab" in text
    assert page.get_by_test_id("voided").inner_text() == "6"
    assert page.get_by_test_id("counted").inner_text() == "1"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []
