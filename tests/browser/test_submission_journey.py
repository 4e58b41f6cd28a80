"""A participant's whole journey in headless Chromium: sign-up to a submitted entry.

The PDF goes from the browser straight to S3 (moto's server over HTTP) with the presigned
POST, while the page shows a progress bar.
"""

import re

import pytest

from challenges.services.regions import ensure_regions
from submissions.enums import FileStatus, SubmissionStatus
from submissions.models import Submission, SubmissionFile
from tests.submissions.builders import open_challenge

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tanlov-sinov-2026!"


def test_participant_signs_up_and_submits_an_entry_with_a_pdf(
    live_server, page, mailoutbox, pitch_pdf, upload, s3_bucket
):
    ensure_regions()
    challenge = open_challenge(slug="covid-sinov", title="COVID-19 sinov", max_size_mb=2)
    base = f"{live_server.url}/en"

    # Sign up, then confirm the address from the e-mail.
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Email").fill("aziz@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    assert page.locator("h1").inner_text() == "Check your e-mail"
    link = re.search(r"https?://\S+/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    if "/accounts/login/" in page.url:
        page.locator("input[name=login]").fill("aziz@example.org")
        page.locator("input[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

    # Profile.
    page.goto(f"{base}/me/profile/")
    page.get_by_label("full name").fill("Aziz Tursunov")
    page.get_by_label("date of birth").fill("2001-03-14")
    page.get_by_label("region").select_option(label="Samarkand Region")
    page.get_by_label("I accept the terms").check()
    page.get_by_label("I accept the privacy notice").check()
    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_url(f"{base}/me/")

    # Team and draft.
    page.goto(f"{base}/me/enter/{challenge.slug}/")
    page.get_by_label("Team name").fill("Mehr")
    page.get_by_role("button", name="Create the team").click()
    page.get_by_role("button", name="Start our entry").click()
    page.get_by_label("Project title").fill("Mehr — volunteers for the elderly")
    page.get_by_label("Short summary").fill("Matches volunteers with elderly neighbours.")
    page.get_by_role("button", name="Save the draft").click()
    assert "Draft saved." in page.locator(".messages").inner_text()

    # Upload straight to S3, remembering the progress the page showed (it reloads after).
    pdf, size = pitch_pdf()
    seen = upload(page, pdf, page.get_by_role("button", name="Upload the file"))
    assert seen[-1]["value"] == 100
    assert all(step["visible"] for step in seen)
    assert page.get_by_role("link", name="Loyiha taqdimoti.pdf", exact=True).is_visible()
    file = SubmissionFile.objects.get()
    assert (file.status, file.size) == (FileStatus.VERIFIED, size)

    # Submit.
    page.get_by_role("button", name="Submit", exact=True).click()
    assert "Submitted: version 1" in page.locator(".messages").inner_text()
    assert page.locator("#entry-status").inner_text() == "Submitted"
    entry = Submission.objects.get()
    assert entry.status == SubmissionStatus.SUBMITTED
    assert [f["name"] for f in entry.current_version.files] == ["Loyiha taqdimoti.pdf"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_upload_that_fails_verification_shows_why_and_keeps_the_draft(
    live_server, page, tmp_path, s3_bucket
):
    from django.contrib.auth import get_user_model

    from tests.factories import PASSWORD as FACTORY_PASSWORD
    from tests.submissions.builders import team_entry

    submission = team_entry(open_challenge(), title="Mehr")
    user = get_user_model().objects.get(pk=submission.owner_id)
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(FACTORY_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    fake = tmp_path / "deck.pdf"
    fake.write_bytes(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 4096)

    page.goto(f"{live_server.url}/en/me/entry/{submission.pk}/")
    page.locator("input[type=file]").set_input_files(str(fake))
    page.get_by_role("button", name="Upload the file").click()

    status = page.locator(".upload-status")
    status.filter(has_text="not a PDF").wait_for()
    assert page.get_by_label("Project title").input_value() == "Mehr"
    assert SubmissionFile.objects.get().status == FileStatus.REJECTED
