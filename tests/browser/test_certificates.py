"""Staff issue certificates for a demo challenge in the admin; a participant downloads one."""

import pytest
from django.contrib.auth.models import Permission

from tests import factories
from tests.certificates.helpers import entry_with_team, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_staff_issue_then_participant_downloads_pdf(
    sign_in, s3_bucket, celery_worker, live_server, page, home_pages
):
    from cms.demo import certificates as demo

    manager = factories.UserFactory(is_staff=True)
    manager.user_permissions.add(Permission.objects.get(codename="access_admin"))
    challenge = factories.ChallengeFactory(slug=demo.COVID_SLUG, title="COVID-19 Challenge 2020")
    challenge.managers.add(manager)
    demo.ensure_templates()
    _entry, members = entry_with_team(
        challenge, ["Oʻgʻiloy Gʻulomova", "Алишер Навоийев", "Aziz Tursunov"]
    )

    sign_in(manager)
    page.goto(f"{live_server.url}/admin/certificates/issue/")
    page.get_by_label("Challenge", exact=True).select_option(str(challenge.pk))
    page.get_by_label("Recipients").select_option("participants")
    page.get_by_role("button", name="Continue").click()
    # The confirmation step: what will be issued, in which language, before it starts.
    page.wait_for_url("**/admin/certificates/issue/confirm/?*")
    assert "3 certificate(s) will be issued" in page.locator("[data-counts]").inner_text()
    page.get_by_role("button", name="Issue certificates").click()
    page.wait_for_url("**/admin/certificates/batches/*/")
    bar = page.locator("#progress-bar")
    page.wait_for_function("document.getElementById('progress-bar').value === 100", timeout=90_000)
    assert (
        bar.get_attribute("value") == "100"
        or page.evaluate("document.getElementById('progress-bar').value") == 100
    )
    assert page.locator("[data-field=done]").inner_text() == "3"
    assert page.locator("[data-field=failed]").inner_text() == "0"

    page.context.clear_cookies()
    participant = members[1]
    sign_in(participant)
    page.goto(f"{live_server.url}/en/me/")
    link = page.get_by_role("link", name="Download PDF")
    assert link.count() == 1
    with page.expect_download() as download_info:
        link.click()
    pdf = open(download_info.value.path(), "rb").read()  # noqa: SIM115

    assert pdf.startswith(b"%PDF-")
    _reader, text = pdf_text(pdf)
    assert "Алишер Навоийев" in text
    assert "COVID-19 Challenge 2020" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_verify_page_and_dashboard_panel_are_accessible_at_360px(
    sign_in, live_server, page, home_pages, axe_violations
):
    from django.utils import timezone

    from certificates.models import Certificate

    user = factories.UserFactory()
    factories.ProfileFactory(user=user, full_name="Oʻgʻiloy Gʻulomova")
    challenge = factories.ChallengeFactory(title="COVID-19 Challenge 2020")
    certificate = Certificate.objects.create(
        kind="winner",
        challenge=challenge,
        recipient=user,
        recipient_name="Oʻgʻiloy Gʻulomova",
        language="uz",
        status="revoked",
        revoked_reason="Duplicate",
        revoked_at=timezone.now(),
        issued_at=timezone.now(),
    )
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    page.goto(f"{live_server.url}/en/verify/{certificate.code}/")

    assert page.locator("h1").inner_text() == "Certificate verification"
    assert "revoked" in page.locator("[role=status]").inner_text()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert all(url.startswith((live_server.url, "data:")) for url in requests)

    certificate.status = "issued"
    certificate.save()
    sign_in(user)
    page.goto(f"{live_server.url}/en/me/")
    assert page.get_by_role("heading", name="My certificates").count() == 1
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
