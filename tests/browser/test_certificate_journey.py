"""Journey: staff issue certificates in the admin; a participant downloads theirs; anyone
checks it by typing its code in the /verify/ box and by the address in its QR code.

Every page visited is checked with axe-core (WCAG 2.2 A/AA) at 1280 px and 360 px, and a
screenshot at each width is saved as a test artefact (pytest's tmp dir, or the folder in
``TANLOV_ARTIFACTS``; never committed).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission

from tests import factories
from tests.certificates.helpers import entry_with_team, pdf_text, qr_decodes_to

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 360)


@pytest.fixture
def look(page, axe_violations, tmp_path):
    """``look(name)``: at each width, no axe violation, and a screenshot saved as ``name``.

    Public pages (``public=True``) must also fit 360 px without sideways scrolling.
    """
    folder = Path(os.environ.get("TANLOV_ARTIFACTS") or tmp_path) / "certificate-journey"
    folder.mkdir(parents=True, exist_ok=True)
    seen = []

    def check(name, *, public=True):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            assert axe_violations(page) == [], f"{name} at {width} px"
            if public and width == 360:
                assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
            path = folder / f"{len(seen):02d}-{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            seen.append(path)
        page.set_viewport_size({"width": 1280, "height": 900})

    check.seen = seen
    return check


def test_staff_issue_participant_downloads_anyone_verifies(
    sign_in, s3_bucket, celery_worker, live_server, page, home_pages, look
):
    from certificates.models import Certificate
    from certificates.services import rendering
    from cms.demo import certificates as demo

    manager = factories.UserFactory(is_staff=True)
    manager.user_permissions.add(Permission.objects.get(codename="access_admin"))
    challenge = factories.ChallengeFactory(slug=demo.COVID_SLUG, title="COVID-19 Challenge 2020")
    challenge.managers.add(manager)
    demo.ensure_templates()  # with the demo's logos and signatures
    _entry, members = entry_with_team(
        challenge,
        ["Oʻgʻiloy Gʻulomova", "Алишер Навоийев", "Aziz Tursunov"],
        title="Yordam — volunteer matching",
    )
    page.set_viewport_size({"width": 1280, "height": 900})

    # Staff: choose the challenge and the recipients, confirm, watch the batch finish.
    sign_in(manager)
    page.goto(f"{live_server.url}/admin/certificates/issue/")
    look("admin-issue", public=False)
    page.get_by_label("Challenge", exact=True).select_option(str(challenge.pk))
    page.get_by_label("Recipients").select_option("participants")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/admin/certificates/issue/confirm/?*")
    assert "3 certificate(s) will be issued" in page.locator("[data-counts]").inner_text()
    look("admin-issue-confirm", public=False)
    page.get_by_role("button", name="Issue certificates").click()
    page.wait_for_url("**/admin/certificates/batches/*/")
    page.wait_for_function("document.getElementById('progress-bar').value === 100", timeout=90_000)
    assert page.locator("[data-field=done]").inner_text() == "3"
    assert page.locator("[data-field=failed]").inner_text() == "0"
    look("admin-batch-done", public=False)

    # A participant finds the certificate on their page and downloads the PDF.
    participant = members[1]
    sign_in(participant)
    page.goto(f"{live_server.url}/en/me/")
    assert page.get_by_role("heading", name="My certificates").count() == 1
    look("participant-dashboard")
    link = page.get_by_role("link", name="Download PDF")
    assert link.count() == 1
    with page.expect_download() as download_info:
        link.click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    _reader, text = pdf_text(pdf)
    assert "Алишер Навоийев" in text
    assert "COVID-19 Challenge 2020" in text
    assert "Yordam — volunteer matching" in text
    certificate = Certificate.objects.get(recipient=participant)
    assert certificate.code in text

    # Anyone: type the code printed under the QR code into the box on /verify/.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/en/verify/")
    assert page.locator("h1").inner_text() == "Check a certificate"
    look("verify-box")
    page.get_by_label("Certificate code").fill(certificate.code.lower())
    page.get_by_role("button", name="Check the certificate").click()
    page.wait_for_url(f"**/verify/{certificate.code}/")
    _expect_valid(page, "Алишер Навоийев", "Yordam — volunteer matching")
    look("verify-typed")

    # … and by the address in the QR code (language-neutral: it redirects to a language).
    url = rendering.verify_url(certificate.code)
    assert qr_decodes_to(pdf, url)
    page.goto(live_server.url + urlsplit(url).path)
    assert page.url.endswith(f"/verify/{certificate.code}/")
    _expect_valid(page, "Алишер Навоийев", "Yordam — volunteer matching")
    look("verify-qr")

    assert len(look.seen) == 14
    assert all(path.stat().st_size > 0 for path in look.seen)


def _expect_valid(page, name, project):
    assert page.locator("[role=status]").inner_text() == "This certificate is valid."
    facts = page.locator("dl.facts").inner_text()
    assert name in facts
    assert project in facts
