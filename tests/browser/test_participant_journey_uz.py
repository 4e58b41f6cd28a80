"""A participant's journey in Uzbek, in headless Chromium on a phone: sign-up, the
verification e-mail read on the development mail page, a minor's profile with a guardian's
consent, a team with a member who joins by the e-mailed link, a pitch deck uploaded with the
progress bar, submitted, revised and resubmitted before the deadline, refused after it.

Every page is at ``/uz/…``, shows no English UI phrase, has no axe-core violation and is
saved as screenshots (``checkpoint``)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from challenges.enums import PhaseKind
from challenges.models import Phase
from challenges.services.regions import ensure_regions
from submissions.enums import FileStatus, SubmissionStatus
from submissions.models import Profile, Submission, SubmissionFile, TeamMembership
from tests.factories import participant
from tests.submissions.builders import open_challenge

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tanlov-sinov-2026!"


@pytest.fixture
def mailbox(settings, tmp_path, live_server):
    """E-mails go to the development mailbox (as with ``make run``), read at /uz/dev/mail/."""
    settings.EMAIL_BACKEND = "core.mailbox.MailboxBackend"
    settings.TANLOV_DEV_MAIL_DIR = tmp_path / "mail"
    settings.TANLOV_PUBLIC_BASE_URL = live_server.url
    return settings.TANLOV_DEV_MAIL_DIR


def _open_newest_mail(page, base, to, checkpoint, assert_uzbek, name):
    """Open the development mailbox and its newest message to ``to``; returns the body."""
    page.goto(f"{base}/dev/mail/")
    checkpoint(page, f"{name}-mailbox")
    assert_uzbek(page)
    page.locator("table.dev-mail tbody tr", has_text=to).first.locator("a").click()
    page.wait_for_load_state()
    checkpoint(page, f"{name}-mail")
    return page.locator(".dev-mail-body")


def test_participant_journey_in_uzbek(
    live_server,
    page,
    mailbox,
    sign_in,
    checkpoint,
    assert_uzbek,
    pitch_pdf,
    upload,
    s3_bucket,
    home_pages,
    uz,
):
    ensure_regions()
    challenge = open_challenge(slug="yoshlar-sinov", title="Yoshlar tanlovi", max_size_mb=2)
    base = f"{live_server.url}/uz"
    # Every page the participant's tab shows, redirects included.
    shown = []
    page.on("framenavigated", lambda frame: frame.parent_frame or shown.append(frame.url))

    def visit(name):
        checkpoint(page, name)
        assert_uzbek(page)

    # Sign up in Uzbek.
    page.goto(f"{base}/accounts/signup/")
    visit("signup")
    page.locator("input[name=email]").fill("malika@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name=uz("Create the account")).click()
    page.wait_for_url(re.compile(r".*/uz/accounts/confirm-email/$"))
    visit("check-your-mail")

    # The verification e-mail, on the development mail page; its link, then "Confirm".
    body = _open_newest_mail(page, base, "malika@example.org", checkpoint, assert_uzbek, "verify")
    body.locator("a[href*='/confirm-email/']").first.click()
    page.wait_for_load_state()
    visit("confirm")
    page.get_by_role("button", name=uz("Confirm")).click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        visit("login")
        page.locator("input[name=login]").fill("malika@example.org")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form.account-form button[type=submit]").click()
        page.wait_for_load_state()
    visit("verified")

    # The profile of a 15-year-old: refused without a guardian, saved with one.
    page.goto(f"{base}/me/profile/")
    visit("profile")
    page.locator("input[name=full_name]").fill("Malika Karimova")
    fifteen = timezone.localdate().replace(year=timezone.localdate().year - 15, day=1)
    page.locator("input[name=birth_date]").fill(fifteen.isoformat())
    page.locator("select[name=region]").select_option(index=1)
    page.locator("input[name=consent_terms]").check()
    page.locator("input[name=consent_privacy]").check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert uz("Participants under 18 need a guardian's name, contact and consent.") in (
        page.locator("main").inner_text()
    )
    assert not Profile.objects.filter(user__email="malika@example.org").exists()
    visit("profile-needs-guardian")
    page.locator("input[name=guardian_name]").fill("Dilnoza Karimova")
    page.locator("input[name=guardian_contact]").fill("+998 90 123 45 67")
    page.locator("input[name=guardian_consent]").check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/me/")
    visit("dashboard")
    profile = Profile.objects.get(user__email="malika@example.org")
    assert (profile.guardian_name, profile.guardian_consent) == ("Dilnoza Karimova", True)

    # A team, and an invitation to a member.
    page.goto(f"{base}/me/enter/{challenge.slug}/")
    visit("enter")
    page.locator("input[name=name]").fill("Mehr")
    page.get_by_role("button", name=uz("Create the team")).click()
    page.wait_for_url(re.compile(r".*/uz/me/team/\d+/$"))
    visit("team")
    member = participant()
    page.locator("input[name=email]").fill(member.email)
    page.get_by_role("button", name=uz("Send the invitation")).click()
    page.wait_for_load_state()
    visit("team-invited")

    # The member, in a second browser, reads the invitation and joins by its link.
    friend = page.context.browser.new_context(viewport={"width": 360, "height": 800})
    friend.set_default_timeout(20_000)
    sign_in(member, friend)
    other = friend.new_page()
    body = _open_newest_mail(other, base, member.email, checkpoint, assert_uzbek, "invitation")
    assert_uzbek(other)
    body.locator("a[href*='/me/invitation/']").first.click()
    other.wait_for_load_state()
    checkpoint(other, "invitation")
    assert_uzbek(other)
    other.get_by_role("button", name=uz("Accept the invitation")).click()
    other.wait_for_url(re.compile(r".*/uz/me/team/\d+/$"))
    checkpoint(other, "member-team")
    assert_uzbek(other)
    assert TeamMembership.objects.filter(user=member, team__name="Mehr").exists()
    friend.close()

    # The entry, its pitch deck uploaded with the progress bar showing.
    page.reload()
    page.get_by_role("button", name=uz("Start our entry")).click()
    page.wait_for_url(re.compile(r".*/uz/me/entry/\d+/$"))
    visit("entry")
    page.locator("input[name=title]").fill("Mehr — keksalarga koʻngillilar")
    page.locator("[name=summary]").fill("Koʻngillilarni yolgʻiz keksalar bilan bogʻlaydi.")
    page.get_by_role("button", name=uz("Save the draft")).click()
    page.wait_for_load_state()
    assert uz("Draft saved.") in page.locator(".messages").inner_text()
    pdf, size = pitch_pdf()
    seen = upload(page, pdf, page.get_by_role("button", name=uz("Upload the file")))
    assert seen[-1]["value"] == 100
    assert all(step["visible"] for step in seen), seen
    file = SubmissionFile.objects.get()
    assert (file.status, file.size) == (FileStatus.VERIFIED, size)
    visit("entry-uploaded")

    # Submitted, revised, submitted again before the deadline.
    page.get_by_role("button", name=uz("Submit"), exact=True).click()
    page.wait_for_load_state()
    assert uz("Submitted: version %(n)s is the one the jury will see.") % {"n": 1} in (
        page.locator(".messages").inner_text()
    )
    visit("submitted")
    page.locator("input[name=title]").fill("Mehr — har bir mahallada koʻngillilar")
    page.get_by_role("button", name=uz("Submit a new version")).click()
    page.wait_for_load_state()
    assert uz("Submitted: version %(n)s is the one the jury will see.") % {"n": 2} in (
        page.locator(".messages").inner_text()
    )
    visit("resubmitted")
    entry = Submission.objects.get()
    assert entry.status == SubmissionStatus.SUBMITTED
    assert entry.versions.count() == 2

    # The deadline passes while the page is open: the next change is refused, nothing changes.
    Phase.objects.filter(challenge=challenge, kind=PhaseKind.SUBMISSION).update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )
    challenge.__class__.objects.filter(pk=challenge.pk).update(grace_minutes=0)
    page.locator("input[name=title]").fill("Kech qolgan oʻzgarish")
    page.get_by_role("button", name=uz("Submit a new version")).click()
    page.wait_for_load_state()
    refusal = uz("The deadline (%(deadline)s) has passed: entries can no longer be changed.")
    assert refusal.split("%(deadline)s")[-1].strip() in page.locator("main").inner_text()
    visit("refused-after-deadline")
    entry.refresh_from_db()
    assert entry.title == "Mehr — har bir mahallada koʻngillilar"
    assert entry.versions.count() == 2
    assert entry.current_version.number == 2
    here = [url for url in shown if url.startswith(live_server.url)]
    assert len(here) >= 15
    assert [url for url in here if not url.startswith(base + "/")] == []
